// One interval that enforces many deadlines, instead of a timer per request or call (a Timeout
// object and a list insertion per request showed in allocation profiles). The request runner owns
// one; each upstream owns one and hands it to its connections and its admission queue.

/** Something with deadlines: checked on every sweep while it is watched. */
export interface Expiring {
  /** Fails whatever is past its deadline; returns whether anything is still pending. */
  expire(now: number): boolean;
}

/** How often an upstream's deadlines are checked: a timeout fires at most this much late. */
export const DEADLINE_SWEEP_MS = 25;

export class DeadlineSweep {
  private readonly watched = new Set<Expiring>();
  private timer: NodeJS.Timeout | undefined;

  /** `intervalMs`: how often deadlines are checked, so how late a timeout may fire at most. */
  constructor(private readonly intervalMs = DEADLINE_SWEEP_MS) {}

  /** Checks `target` on every sweep until it reports nothing pending. */
  watch(target: Expiring): void {
    this.watched.add(target);
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops sweeping and forgets every target. */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.watched.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const target of this.watched) if (!target.expire(now)) this.watched.delete(target);
    if (this.watched.size === 0) this.close();
  }
}
