// Server→client messages per SSE stream with ordered event ids, so a client that lost a stream
// can resume it with Last-Event-ID. The memory log keeps a bounded tail per stream.
import type { JSONRPCMessage } from "@modelcontextprotocol/server";

export interface StoredEvent {
  eventId: string;
  message: JSONRPCMessage;
}

export interface EventLog {
  /** Appends a message to a stream of a session and returns its event id. */
  append(sessionId: string, streamId: string, message: JSONRPCMessage): Promise<string>;
  /** A fresh event id for a stream with no message (the priming event). */
  prime(sessionId: string, streamId: string): Promise<string>;
  /** The stream an event id belongs to, the events after it and whether the stream is complete, if the id belongs to this session and is still retained. */
  eventsAfter(sessionId: string, eventId: string): Promise<{ streamId: string; events: StoredEvent[]; complete: boolean } | undefined>;
  /** Marks a stream complete (its response was delivered); complete streams are dropped sooner. */
  complete(sessionId: string, streamId: string): Promise<void>;
  deleteSession(sessionId: string): Promise<void>;
}
