// In-memory EventLog: bounded per stream and per session, for one replica.
import type { JSONRPCMessage } from "@modelcontextprotocol/server";
import type { EventLog, StoredEvent } from "./event-log.js";

interface StreamLog {
  seq: number;
  events: StoredEvent[];
  completedAt: number | undefined;
}

/** Event ids are `<streamId>.<seq>`; stream ids contain no dot. */
export function splitEventId(eventId: string): { streamId: string; seq: number } | undefined {
  const dot = eventId.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const seq = Number(eventId.slice(dot + 1));
  if (!Number.isSafeInteger(seq) || seq < 0) return undefined;
  return { streamId: eventId.slice(0, dot), seq };
}

export class MemoryEventLog implements EventLog {
  private readonly sessions = new Map<string, Map<string, StreamLog>>();

  constructor(
    private readonly maxEventsPerStream = 1_000,
    private readonly maxStreamsPerSession = 256,
    private readonly completedRetentionMs = 5 * 60_000,
  ) {}

  async append(sessionId: string, streamId: string, message: JSONRPCMessage): Promise<string> {
    const log = this.stream(sessionId, streamId);
    const eventId = `${streamId}.${++log.seq}`;
    log.events.push({ eventId, message });
    if (log.events.length > this.maxEventsPerStream) log.events.shift();
    return eventId;
  }

  async prime(sessionId: string, streamId: string): Promise<string> {
    const log = this.stream(sessionId, streamId);
    return `${streamId}.${log.seq}`;
  }

  async eventsAfter(sessionId: string, eventId: string): Promise<{ streamId: string; events: StoredEvent[]; complete: boolean } | undefined> {
    const parsed = splitEventId(eventId);
    if (!parsed) return undefined;
    const log = this.sessions.get(sessionId)?.get(parsed.streamId);
    if (!log) return undefined;
    return {
      streamId: parsed.streamId,
      events: log.events.filter((e) => splitEventId(e.eventId)!.seq > parsed.seq),
      complete: log.completedAt !== undefined,
    };
  }

  async complete(sessionId: string, streamId: string): Promise<void> {
    const log = this.sessions.get(sessionId)?.get(streamId);
    if (log) log.completedAt = Date.now();
  }

  async deleteSession(sessionId: string): Promise<void> {
    this.sessions.delete(sessionId);
  }

  private stream(sessionId: string, streamId: string): StreamLog {
    let streams = this.sessions.get(sessionId);
    if (!streams) this.sessions.set(sessionId, (streams = new Map()));
    let log = streams.get(streamId);
    if (!log) {
      this.evict(streams);
      streams.set(streamId, (log = { seq: 0, events: [], completedAt: undefined }));
    }
    return log;
  }

  /** Drops completed streams past their retention, then the oldest streams beyond the per-session bound. */
  private evict(streams: Map<string, StreamLog>): void {
    const now = Date.now();
    for (const [id, log] of streams) if (log.completedAt !== undefined && now - log.completedAt > this.completedRetentionMs) streams.delete(id);
    while (streams.size >= this.maxStreamsPerSession) streams.delete(streams.keys().next().value!);
  }
}
