// A cancellation signal for in-process request handling. AbortSignal (an EventTarget) was the
// gateway's costliest allocation per request; this keeps its shape, so a real AbortSignal can be
// passed wherever a CancelSignal is expected.

/** A function, or an object whose handleEvent() runs (as with EventTarget); objects need no closure. */
export type AbortListener = (() => void) | { handleEvent(): void };

/** The part of AbortSignal that request handling uses. */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: AbortListener, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: AbortListener): void;
}

export class Cancellation implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: AbortListener[] | undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const l of listeners ?? []) {
      if (typeof l === "function") l();
      else l.handleEvent();
    }
  }

  /** Listeners run once, on abort (as with `{ once: true }`). */
  addEventListener(_type: "abort", listener: AbortListener): void {
    if (this.aborted) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: "abort", listener: AbortListener): void {
    if (!this.listeners) return;
    const i = this.listeners.indexOf(listener);
    if (i !== -1) this.listeners.splice(i, 1);
  }
}
