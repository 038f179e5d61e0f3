/**
 * The UserInbox's alarm schedule: one Durable Object alarm serves every timer the inbox has —
 * item removals, token expiries (4001), ends of snoozes, the D1 mirror's retries, presence refreshes — because a
 * hibernated object runs no timers. The alarm is always due by the next thing it has to do.
 *
 * The set alarm time is read from storage on first use and kept in memory: only this instance
 * sets or deletes the alarm, so the copy stays right, and a change whose work is already covered
 * by the alarm costs no storage call. An instance tracks only what it added itself: what an
 * earlier instance stored or recorded is covered by the alarm that instance set, so waking up
 * reads nothing.
 */
export class AlarmSchedule {
  /** When the alarm is set for (ms; null: none; undefined: not read yet). */
  #at: number | null | undefined;
  /** The earliest removal due among what this instance stored (ms; null: none); exact after an alarm run. */
  #purgeAt: number | null = null;
  /** The earliest token expiry among sockets this instance accepted (ms; null: none); exact after an alarm run. */
  #tokenExpiryAt: number | null = null;
  /** The earliest snooze end among what this instance snoozed (ms; null: none); exact after an alarm run. */
  #snoozeEndAt: number | null = null;

  constructor(private readonly storage: DurableObjectStorage) {}

  /** Notes that something stored now is due for removal at `at` (ms). */
  removalDue(at: number): void {
    this.#purgeAt = this.#purgeAt === null ? at : Math.min(this.#purgeAt, at);
  }

  /** Notes that a socket's token expires at `at` (ms; null: never), so the alarm closes it then. */
  tokenExpiryDue(at: number | null): void {
    if (at !== null) this.#tokenExpiryAt = this.#tokenExpiryAt === null ? at : Math.min(this.#tokenExpiryAt, at);
  }

  /** Notes that a snooze ends at `at` (ms), when the item comes back under a new seq (docs/protocol.md#feed-state). */
  snoozeEndDue(at: number): void {
    this.#snoozeEndAt = this.#snoozeEndAt === null ? at : Math.min(this.#snoozeEndAt, at);
  }

  /**
   * At the start of an alarm run: the alarm that fired is no longer set (one set while the run
   * goes on replaces it), and the removal, token-expiry and snooze-end times become the exact ones
   * the run found (ms; null: none).
   */
  fired(purgeAt: number | null, tokenExpiryAt: number | null, snoozeEndAt: number | null): void {
    this.#at = null;
    this.#purgeAt = purgeAt;
    this.#tokenExpiryAt = tokenExpiryAt;
    this.#snoozeEndAt = snoozeEndAt;
  }

  /** When the alarm has work next (ms), or null: a removal, a token expiry, a snooze end, or one of `others` (the mirror, presence). */
  next(others: readonly (number | null)[]): number | null {
    const due = [this.#purgeAt, this.#tokenExpiryAt, this.#snoozeEndAt, ...others].filter((t) => t !== null);
    return due.length > 0 ? Math.min(...due) : null;
  }

  /**
   * Makes sure the alarm runs by `at` (ms): sets it when it is unset or later. An alarm already due
   * by then is left alone, so a burst of changes costs at most one storage call.
   */
  async ensureBy(at: number | null): Promise<void> {
    if (at === null) return;
    if (this.#at === undefined) {
      const stored = await this.storage.getAlarm();
      // Another call may have set the alarm while this one read it.
      if (this.#at === undefined) this.#at = stored;
    }
    if (this.#at !== null && this.#at <= at) return;
    // Set before the await, so a concurrent call compares with the alarm to be.
    this.#at = at;
    await this.storage.setAlarm(at);
  }

  /** At the end of an alarm run: sets the alarm to `next` (ms), or deletes it when there is nothing left. */
  async replace(next: number | null): Promise<void> {
    const current = this.#at;
    // Set before the await, so a change handled meanwhile compares with the alarm to be.
    this.#at = next;
    if (next === null) {
      if (current !== null && current !== undefined) await this.storage.deleteAlarm();
    } else if (next !== current) await this.storage.setAlarm(next);
  }
}
