// Delivers messages to whichever replica holds a stream or waits for a response. The memory bus
// is the embedded single-replica default: delivery is an in-process call.
export type BusListener = (payload: unknown) => void;

export interface Bus {
  publish(channel: string, payload: unknown): void;
  /** Returns the unsubscribe function. */
  subscribe(channel: string, listener: BusListener): () => void;
  close(): Promise<void>;
}

export class MemoryBus implements Bus {
  private readonly channels = new Map<string, Set<BusListener>>();

  publish(channel: string, payload: unknown): void {
    const listeners = this.channels.get(channel);
    if (!listeners) return;
    for (const l of [...listeners]) l(payload);
  }

  subscribe(channel: string, listener: BusListener): () => void {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.channels.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.channels.clear();
  }
}
