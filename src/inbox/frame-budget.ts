/**
 * How many frames one device may send (issue 9: a client flooding frames must not tie up its
 * user's inbox — one Durable Object, one thread — or the D1 mirror behind it).
 *
 * A token bucket per socket: it holds up to {@link FRAME_BURST} tokens and refills at
 * {@link FRAME_RATE_PER_SECOND}; each frame takes one. An ack that advances the socket's
 * acknowledged seq is free: it answers frames the server chose to send, so the server's own
 * output bounds those, and a fast replay (tens of thousands of frames acked every 500 seqs by
 * src/client) must never trip the limit. Every frame takes its token before it is even measured
 * or parsed, and an advancing ack gets it back once parsed ({@link FrameBudget.refund}).
 * `{"type":"ping"}` never reaches the object at all (the runtime auto-responds). A device over budget gets an `error` frame `rate_limited` and the
 * socket is closed with `CLOSE_CODES.rateLimited` (4008, src/inbox/frames.ts); the user's other
 * devices and other users are untouched, since every socket has its own bucket.
 *
 * Buckets live in memory, not in the socket attachment: a flood keeps the object awake, and an
 * object that hibernated has seen no frames for a while, so a fresh full bucket after waking
 * loses nothing (the bucket refills in two seconds anyway) — and no frame pays for a storage write.
 */

/** Frames a device may send per second, sustained. */
export const FRAME_RATE_PER_SECOND = 20;
/** Frames a device may send at once after a quiet spell. */
export const FRAME_BURST = 40;

/** One socket's token bucket (see the module comment); times in ms since the epoch. */
export class FrameBudget {
  private tokens = FRAME_BURST;

  constructor(private refilledAt: number) {}

  /**
   * Takes one token for a frame arriving at `now` (ms).
   * @returns false when the bucket is empty: the device is over its rate.
   */
  take(now: number): boolean {
    this.tokens = Math.min(FRAME_BURST, this.tokens + ((now - this.refilledAt) / 1000) * FRAME_RATE_PER_SECOND);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * Gives back the token a frame took, once it turned out to be free (an ack that advances): the
   * token is taken before a frame is parsed, so parsing is never free work for a flooder.
   */
  refund(): void {
    this.tokens = Math.min(FRAME_BURST, this.tokens + 1);
  }
}
