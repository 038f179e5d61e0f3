/**
 * The client package (packages/client) declares the protocol on its own, so its published types
 * need nothing from the server's source; these checks (run by `tsc` in `npm run typecheck`, and by
 * vitest) fail when the server's frames or preference document change in a way the package's
 * types do not accept (docs/protocol.md#server-frames).
 */
import { describe, expectTypeOf, it } from "vitest";
import type * as client from "../../packages/client/src/protocol";
import type { InboxNotification, ServerFrame } from "../../src/inbox/frames";
import type { EffectivePreferences, PreferencesMergePatch } from "../../src/preferences/types";

describe("the client package's protocol types", () => {
  it("accept every frame and notification the server sends", () => {
    expectTypeOf<ServerFrame>().toExtend<client.ServerFrame>();
    expectTypeOf<InboxNotification>().toExtend<client.InboxNotification>();
  });

  it("match the server's preference document and merge patch both ways", () => {
    expectTypeOf<EffectivePreferences>().toEqualTypeOf<client.EffectivePreferences>();
    expectTypeOf<PreferencesMergePatch>().toEqualTypeOf<client.PreferencesMergePatch>();
  });
});
