// In-memory SessionStore: the embedded default for one replica. Idle sessions expire after the TTL.
import type { SessionRecord, SessionStore } from "./session-store.js";

const NOT_FOUND: Promise<undefined> = Promise.resolve(undefined);

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
  /** One settled promise per live record, so that get() on the hot path allocates nothing. */
  private readonly settled = new WeakMap<SessionRecord, Promise<SessionRecord>>();
  private readonly listeners: Array<(r: SessionRecord) => void> = [];
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly ttlMs: number) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(ttlMs, 30_000));
    this.sweeper.unref();
  }

  async create(record: SessionRecord): Promise<void> {
    this.sessions.set(record.id, { ...record });
  }

  /** The stored record itself (no copy on the hot path); change it only through update(). */
  get(id: string): Promise<SessionRecord | undefined> {
    const r = this.sessions.get(id);
    if (!r) return NOT_FOUND;
    const now = Date.now();
    if (now - r.lastSeenAt > this.ttlMs) {
      this.expire(r);
      return NOT_FOUND;
    }
    r.lastSeenAt = now;
    let found = this.settled.get(r);
    if (!found) this.settled.set(r, (found = Promise.resolve(r)));
    return found;
  }

  async update(id: string, patch: Partial<Omit<SessionRecord, "id" | "principal" | "tenant">>): Promise<void> {
    const r = this.sessions.get(id);
    if (r) Object.assign(r, patch);
  }

  async delete(id: string): Promise<boolean> {
    return this.sessions.delete(id);
  }

  async count(): Promise<number> {
    return this.sessions.size;
  }

  onExpired(listener: (record: SessionRecord) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.sessions.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const r of this.sessions.values()) if (now - r.lastSeenAt > this.ttlMs) this.expire(r);
  }

  private expire(r: SessionRecord): void {
    this.sessions.delete(r.id);
    for (const l of this.listeners) l(r);
  }
}
