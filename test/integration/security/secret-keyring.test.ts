/**
 * Stored webhook secrets under the keyring (issue 14), end to end: a new target's secret is stored
 * sealed by the first key of `SECRET_KEYS`, and a target whose secret was sealed before the
 * keyring (a legacy `v1.` value under `JWT_SECRET`) still gets signed deliveries its receiver accepts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../../src/env";
import { api, freshId } from "../../helpers";
import { createTarget, putUser, waitForState } from "../../sync-helpers";
import { legacySeal } from "./legacy-seal";

const storedSecret = async (id: string) => (await env.DB.prepare("SELECT secret FROM sync_targets WHERE id = ?1").bind(id).first<{ secret: string }>())!.secret;

describe("stored secrets under the keyring", () => {
  it("seals a new target's secret with the first key of SECRET_KEYS", async () => {
    const target = await createTarget();
    try {
      expect(await storedSecret(target.id)).toMatch(/^v2\.t1\.[\w-]+\.[\w-]+$/);
    } finally {
      await api(`/v1/sync/targets/${target.id}`, { method: "DELETE" });
    }
  });

  it("keeps delivering to a target whose secret was sealed before the keyring", async () => {
    const target = await createTarget();
    try {
      const legacy = await legacySeal((env as unknown as Bindings).JWT_SECRET!, target.secret);
      await env.DB.prepare("UPDATE sync_targets SET secret = ?2 WHERE id = ?1").bind(target.id, legacy).run();
      const userId = freshId();
      await putUser(userId, { name: "legacy" });
      // The receiver checks each signature against the target's secret: a delivery counts only if it verified.
      await waitForState(target.name, { [userId]: 1 });
    } finally {
      await api(`/v1/sync/targets/${target.id}`, { method: "DELETE" });
    }
  });
});
