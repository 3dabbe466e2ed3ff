// Session records that outlive a request: who owns a session, what was negotiated, what it
// subscribed to. Any replica reads them; the memory store is the embedded single-replica default.
import type { ClientCapabilities, Implementation, LoggingLevel } from "@modelcontextprotocol/server";

export interface SessionRecord {
  id: string;
  /** Stable key of the principal that created the session; another principal's use of the id is answered like an unknown id. */
  principal: string;
  tenant: string;
  protocolVersion: string;
  clientInfo: Implementation | undefined;
  clientCapabilities: ClientCapabilities;
  /** Minimum level of `notifications/message` the client asked for; undefined = everything. */
  logLevel: LoggingLevel | undefined;
  /** Resource URIs the client subscribed to. */
  subscriptions: string[];
  /** "streamable-http" or the deprecated "sse" transport. */
  transport: "streamable-http" | "sse";
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionStore {
  create(record: SessionRecord): Promise<void>;
  /** Returns the record and refreshes its TTL; undefined when unknown or expired. */
  get(id: string): Promise<SessionRecord | undefined>;
  update(id: string, patch: Partial<Omit<SessionRecord, "id" | "principal" | "tenant">>): Promise<void>;
  /** Returns whether the session existed. */
  delete(id: string): Promise<boolean>;
  count(): Promise<number>;
  /** Called once for each session that expires without a DELETE. */
  onExpired(listener: (record: SessionRecord) => void): void;
  close(): Promise<void>;
}
