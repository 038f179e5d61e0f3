/**
 * The one decision every channel send makes about a user's preferences (docs/api.md#preferences),
 * as a pure function: same document, notification, channel and clock → same verdict.
 */
import type { Channel } from "../notifications/input";
import { isTimeZone, type EffectivePreferences } from "./document";

/** What to do with one delivery: send it now, skip it (recorded with its reason), or hold it until `until` (ms). */
export type Verdict = { kind: "send" } | { kind: "skip"; reason: "preference" | "unsubscribed" } | { kind: "hold"; until: number };

/** Quiet hours hold these channels unless the document names others; in-app is never held (it still arrives). */
export const DEFAULT_QUIET_CHANNELS: readonly Channel[] = ["email", "sms", "push"];

/**
 * Judges one delivery, in the documented order (docs/api.md#preferences): `critical` → send; the channel off globally, the
 * category disabled, or the category's channel off → skip (`preference`); unsubscribed from the
 * category on this channel → skip (`unsubscribed`); inside quiet hours → email/SMS/push held until
 * the window ends, in-app sent.
 * @param at.now ms since the epoch; @param at.profileTimezone the synced profile's zone, used
 *        when quiet hours name none (else UTC).
 */
export function evaluate(
  prefs: EffectivePreferences,
  notification: { category: string; critical: boolean },
  channel: Channel,
  at: { now: number; profileTimezone: string | null },
): Verdict {
  if (notification.critical) return { kind: "send" };
  const category = Object.hasOwn(prefs.categories, notification.category) ? prefs.categories[notification.category] : undefined;
  if (prefs.channels[channel] === false || category?.enabled === false || category?.channels?.[channel] === false) return { kind: "skip", reason: "preference" };
  const unsubscribed = Object.hasOwn(prefs.unsubscribed, notification.category) ? prefs.unsubscribed[notification.category] : undefined;
  if (unsubscribed?.[channel] === true) return { kind: "skip", reason: "unsubscribed" };
  const quiet = prefs.quietHours;
  if (quiet && channel !== "in_app" && (quiet.channels ?? DEFAULT_QUIET_CHANNELS).includes(channel)) {
    const zone = quiet.timezone ?? (at.profileTimezone !== null && isTimeZone(at.profileTimezone) ? at.profileTimezone : "UTC");
    const until = quietUntil(quiet.start, quiet.end, zone, at.now);
    if (until !== null) return { kind: "hold", until };
  }
  return { kind: "send" };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of `zone` at `ms`, as the epoch ms those fields would be in UTC (seconds kept, ms dropped). */
function wallClock(ms: number, zone: string): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(zone, format);
  }
  const f = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(f.year!, f.month! - 1, f.day!, f.hour!, f.minute!, f.second!);
}

/** The instant (ms) `zone`'s clocks read `wall` (UTC-encoded wall fields); in a DST gap, the instant just after it. */
function instantOf(wall: number, zone: string): number {
  // The offset at a guess, applied twice: right on both sides of a transition.
  let t = wall - (wallClock(wall, zone) - wall);
  t = wall - (wallClock(t, zone) - t);
  return t;
}

const parse = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const DAY_MS = 86_400_000;

/**
 * When the quiet window `start`–`end` (local HH:MM in `zone`, end excluded; start after end
 * crosses midnight; start = end is no window) that `now` lies in ends, or null outside it.
 * Local times come from `Intl.DateTimeFormat`, so DST transitions shift the end as the clocks do
 * (22:00–07:00 in Europe/Berlin is 8 hours on 2026-03-29 and 10 on 2026-10-25).
 */
export function quietUntil(start: string, end: string, zone: string, now: number): number | null {
  const from = parse(start);
  const to = parse(end);
  if (from === to) return null;
  const wall = wallClock(now, zone);
  const minute = Math.floor((wall % DAY_MS) / 60_000);
  const inside = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!inside) return null;
  const midnight = wall - (wall % DAY_MS);
  const endWall = midnight + to * 60_000 + (minute >= to ? DAY_MS : 0);
  const until = instantOf(endWall, zone);
  // A window end inside a DST gap maps to just after the gap; a hold never ends at or before now.
  return Math.max(until, now + 1_000);
}
