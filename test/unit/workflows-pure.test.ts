/**
 * The pure parts of workflows (docs/api.md#workflows): save-time checks, digest keys, run ids that
 * name their user, and which in-app notification an `if` step asks about.
 */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/lib/errors";
import { assertRunnable, templatesOf, type WorkflowStep } from "../../src/workflows/definition";
import { closedDigestData, digestKeyOf } from "../../src/workflows/digest";
import { inAppNotificationOf } from "../../src/workflows/run";
import type { Run } from "../../src/workflows/storage";
import { runIdFor, userOfRun } from "../../src/workflows/user-workflows";

function problems(steps: WorkflowStep[], templates: string[]): string[] {
  try {
    assertRunnable(steps, new Set(templates));
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(422);
    return ((error as ApiError).extra.errors ?? []).map((e) => e.path);
  }
}

describe("assertRunnable", () => {
  it("accepts a digest first, channel steps with known templates, and `if` after an in-app step", () => {
    expect(problems([{ type: "digest", windowSeconds: 5 }, { type: "in_app", template: "a", if: "always" }, { type: "delay", seconds: 1 }, { type: "email", template: "b", if: "unread" }], ["a", "b"])).toEqual([]);
  });

  it("names every problem with its step index", () => {
    expect(
      problems(
        [
          { type: "email", template: "a", if: "unseen" },
          { type: "digest", windowSeconds: 5 },
          { type: "sms", if: "always" },
          { type: "push", template: "gone", if: "always" },
        ],
        ["a"],
      ),
    ).toEqual(["steps.0.if", "steps.1", "steps.2.template", "steps.3.template"]);
  });

  it("lists each template once", () => {
    expect(templatesOf([{ type: "in_app", template: "a", if: "always" }, { type: "delay", seconds: 1 }, { type: "email", template: "a", if: "unread" }])).toEqual(["a"]);
  });
});

describe("digests", () => {
  it("renders the key from the trigger's data, unescaped, and one key per workflow without one", () => {
    expect(digestKeyOf({ type: "digest", windowSeconds: 5, key: "{{post.id}}:{{kind}}" }, { post: { id: "a&b" }, kind: "c" })).toBe("a&b:c");
    expect(digestKeyOf({ type: "digest", windowSeconds: 5 }, { post: 1 })).toBe("");
  });

  it("gives the next steps the first data with events and count", () => {
    const run = { data: { postId: "p" }, events: [{ who: "a" }, { who: "b" }] } as unknown as Run;
    expect(closedDigestData(run)).toEqual({ postId: "p", events: [{ who: "a" }, { who: "b" }], count: 2 });
  });
});

describe("run ids", () => {
  it("name their user, whatever characters the user id uses", () => {
    for (const userId of ["u1", "a_b.c:d@e-f", "x_01JD0000000000000000000000_y"]) expect(userOfRun(runIdFor(userId))).toBe(userId);
    expect(userOfRun("01JD0000000000000000000000")).toBeNull();
    expect(userOfRun("wr_short_u1")).toBeNull();
  });
});

describe("inAppNotificationOf", () => {
  const run = { definition: { steps: [{ type: "in_app" }, { type: "delay" }, { type: "in_app" }, { type: "email" }] } } as unknown as Run;
  it("is the latest in-app step before the asking step, or null when that step sent nothing", () => {
    expect(inAppNotificationOf([{ idx: 0, notificationId: "n0" }, { idx: 1, notificationId: null }, { idx: 2, notificationId: "n2" }], run, 3)).toBe("n2");
    expect(inAppNotificationOf([{ idx: 0, notificationId: "n0" }, { idx: 2, notificationId: null }], run, 3)).toBeNull();
    expect(inAppNotificationOf([{ idx: 0, notificationId: "n0" }], run, 1)).toBe("n0");
  });
});
