/**
 * What a dead letter was about, for people (docs/api.md#retries-and-dead-letters): the topic, the
 * target (where the work was going) and the recipient (the user it was for), built from the rows
 * its payload names (src/db/dead-letters.ts, `listDeadLetters`). The console lists letters by
 * these instead of raw ids (issue 19).
 */
import type { DeadLetterSubjectFacts } from "../db/dead-letters";
import { resolvePointer } from "../messaging/pointer";

export interface DeadLetterSubject {
  /** Topic message letters: the topic the message was published to. */
  topic: string | null;
  /**
   * Where the work was going: a topic webhook's URL or a notify subscription's template, a sync
   * target's name, the channel of a send (`email`, `sms`, `push`, `in_app`), or the behaviour's target id.
   */
  target: string | null;
  /** The user the work was for: the notification's user, a sync event's user, a behaviour target's owner. */
  recipient: string | null;
  /** Work items the letter carries (ids or events); the fields above describe the first. */
  items: number;
  /** One line saying all of it, e.g. `wallet.recharged → notify dev-user (template wallet_recharged)`. */
  summary: string;
}

/** The channel of a channel-send letter, from its `sourceId` `<notificationId>:<channel>`. */
const channelOf = (sourceId: string | null) => sourceId?.match(/:(email|sms|push|in_app)$/)?.[1] ?? null;

/** A notify subscription's user: its RFC 6901 pointer into the message payload, when it names a string. */
function pointedUser(facts: DeadLetterSubjectFacts): string | null {
  if (!facts.messagePayload || facts.subscriptionUserIdPointer === null) return null;
  try {
    const user = resolvePointer(JSON.parse(facts.messagePayload), facts.subscriptionUserIdPointer);
    return typeof user === "string" || typeof user === "number" ? String(user) : null;
  } catch {
    return null;
  }
}

/**
 * The subject of one letter from its source, `sourceId` and {@link DeadLetterSubjectFacts}.
 * Fields whose rows are gone stay null and the summary says what is known ("unknown" parts left out).
 */
export function deadLetterSubject(letter: { source: string; sourceId: string | null }, facts: DeadLetterSubjectFacts): DeadLetterSubject {
  const more = facts.items > 1 ? ` (+${facts.items - 1} more)` : "";
  const to = (recipient: string | null) => (recipient ? ` to ${recipient}` : "");
  switch (letter.source) {
    case "message": {
      const recipient = facts.notificationUserId ?? pointedUser(facts);
      const target = facts.subscriptionKind === "webhook" ? facts.subscriptionUrl : facts.subscriptionTemplate;
      const where = facts.subscriptionKind === "notify" ? `notify${recipient ? ` ${recipient}` : ""}${target ? ` (template ${target})` : ""}` : (target ?? (facts.kind === "publish" ? "fan-out to its subscribers" : ""));
      return { topic: facts.topic, target, recipient, items: facts.items, summary: `${facts.topic ?? "topic message"}${where ? ` → ${where}` : ""}${more}` };
    }
    case "channel": {
      const target = channelOf(letter.sourceId) ?? (facts.kind === "dispatch" ? "in_app" : null);
      const recipient = facts.notificationUserId;
      const what = facts.notificationTitle ? `"${facts.notificationTitle}"` : facts.notificationTemplate ? `template ${facts.notificationTemplate}` : "";
      return { topic: null, target, recipient, items: facts.items, summary: `${target ?? "notification"}${to(recipient)}${what ? `: ${what}` : ""}${more}` };
    }
    case "sync": {
      const target = facts.syncTargetName;
      const recipient = facts.syncUserId;
      return { topic: null, target, recipient, items: facts.items, summary: `sync${target ? ` → ${target}` : ""}${recipient ? ` (user ${recipient})` : ""}${more}` };
    }
    default: {
      const target = facts.behaviourTargetId;
      const recipient = facts.behaviourTargetOwnerId;
      return { topic: null, target, recipient, items: facts.items, summary: `${facts.behaviourType ?? "behaviour"}${target ? ` on ${target}` : ""}${recipient ? ` → owner ${recipient}` : ""}${more}` };
    }
  }
}
