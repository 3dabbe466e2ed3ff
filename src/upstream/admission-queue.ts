// Bounded admission of requests to connections: a request runs as soon as some connection has a free
// slot, otherwise it waits in a FIFO of at most `maxQueue` entries; a full queue is an immediate error.
import type { CancelSignal } from "../cancellation.js";
import type { DeadlineSweep, Expiring } from "../deadline-sweep.js";

/** A request waiting for a connection. `dispatch` must claim the slot synchronously (before any await). */
export interface AdmissionJob<T> {
  dispatch(target: T, waitedMs: number): void;
  fail(err: Error): void;
}

export interface AdmissionQueueOptions<T> {
  maxQueue: number;
  /** A target with a free slot right now (the least busy one), or undefined. */
  pick(): T | undefined;
  /** The error for a request that finds the queue full. */
  overloaded(): Error;
  /** The error for a request that waited its whole time budget. */
  expired(waitedMs: number): Error;
  /** The error for a request whose caller aborted while it waited. */
  cancelled(): Error;
  /** Enforces the waiters' time budgets; shared with the upstream's connections. */
  deadlines: DeadlineSweep;
}

/** A queued request; it is also the listener on its caller's abort signal. */
class Waiter<T> {
  constructor(
    private readonly queue: AdmissionQueue<T>,
    readonly job: AdmissionJob<T>,
    readonly since: number,
    readonly deadline: number,
    readonly signal: CancelSignal | undefined,
  ) {}

  handleEvent(): void {
    this.queue.cancelled(this);
  }
}

export class AdmissionQueue<T> implements Expiring {
  private readonly waiting: Waiter<T>[] = [];

  constructor(private readonly options: AdmissionQueueOptions<T>) {}

  get length(): number {
    return this.waiting.length;
  }

  /** A target free right now for a request that need not wait: nobody is queued and a slot is free. */
  free(): T | undefined {
    return this.waiting.length === 0 ? this.options.pick() : undefined;
  }

  admit(job: AdmissionJob<T>, signal: CancelSignal | undefined, waitMs: number): void {
    if (signal?.aborted) return job.fail(this.options.cancelled());
    // Waiters go first, so a newcomer never overtakes a request that has been queued longer.
    const target = this.free();
    if (target !== undefined) return job.dispatch(target, 0);
    if (this.waiting.length >= this.options.maxQueue) return job.fail(this.options.overloaded());

    const now = Date.now();
    const waiter = new Waiter(this, job, now, now + waitMs, signal);
    signal?.addEventListener("abort", waiter);
    this.waiting.push(waiter);
    this.options.deadlines.watch(this);
  }

  /** Hands free slots to waiters; call it whenever a slot may have freed or a connection became ready. */
  pump(): void {
    while (this.waiting.length > 0) {
      const target = this.options.pick();
      if (target === undefined) return;
      const waiter = this.waiting.shift() as Waiter<T>;
      this.release(waiter);
      waiter.job.dispatch(target, Date.now() - waiter.since);
    }
  }

  /** Fails every waiting request with `err` (the upstream is closing or cannot be reached). */
  failAll(err: Error): void {
    for (const waiter of this.waiting.splice(0)) {
      this.release(waiter);
      waiter.job.fail(err);
    }
  }

  /** Fails the waiters whose time budget is spent (the deadline sweep calls this); returns whether any wait. */
  expire(now: number): boolean {
    for (const waiter of this.waiting.filter((w) => w.deadline <= now)) this.drop(waiter, this.options.expired(now - waiter.since));
    return this.waiting.length > 0;
  }

  /** A waiter's caller aborted. */
  cancelled(waiter: Waiter<T>): void {
    this.drop(waiter, this.options.cancelled());
  }

  private drop(waiter: Waiter<T>, err: Error): void {
    const index = this.waiting.indexOf(waiter);
    if (index === -1) return;
    this.waiting.splice(index, 1);
    this.release(waiter);
    waiter.job.fail(err);
  }

  private release(waiter: Waiter<T>): void {
    waiter.signal?.removeEventListener("abort", waiter);
  }
}
