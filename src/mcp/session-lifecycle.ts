// Starting and ending downstream sessions, the same for every transport: the record in the
// SessionStore, the negotiated version, and everything released when a session ends.
import { randomBytes } from "node:crypto";
import type { InitializeRequestParams, InitializeResult } from "@modelcontextprotocol/server";
import type { EventLog } from "../session/event-log.js";
import type { SessionRecord, SessionStore } from "../session/session-store.js";
import type { Logger } from "../telemetry/logger.js";
import type { Metrics } from "../telemetry/metrics.js";
import type { McpApplication } from "./mcp-application.js";
import { negotiateVersion } from "./protocol-versions.js";
import type { RequestRunner } from "./request-runner.js";
import { HttpProtocolError, RpcCodes } from "./rpc-error.js";

/** Who is calling; the session is bound to it. Without auth every caller is the anonymous principal. */
export interface CallerIdentity {
  key: string;
  tenant: string;
}

export class SessionLifecycle {
  private readonly endListeners: Array<(sessionId: string) => void> = [];

  constructor(
    private readonly o: {
      app: McpApplication;
      sessions: SessionStore;
      events: EventLog;
      runner: RequestRunner;
      logger: Logger;
      metrics: Metrics;
      maxSessions: number;
    },
  ) {
    o.sessions.onExpired((record) => void this.released(record, "expired"));
  }

  /** Transports close their streams of a session that ends. */
  onEnd(listener: (sessionId: string) => void): void {
    this.endListeners.push(listener);
  }

  /** A new session with >= 128 random bits of id, bound to the caller. */
  async start(
    params: InitializeRequestParams,
    caller: CallerIdentity,
    transport: SessionRecord["transport"],
    supported: readonly string[],
  ): Promise<{ record: SessionRecord; result: InitializeResult }> {
    if ((await this.o.sessions.count()) >= this.o.maxSessions) {
      throw new HttpProtocolError(503, RpcCodes.badRequest, "Service Unavailable: too many open sessions", { "retry-after": "5" });
    }
    const protocolVersion = negotiateVersion(params.protocolVersion, supported);
    const now = Date.now();
    const record: SessionRecord = {
      id: randomBytes(24).toString("base64url"),
      principal: caller.key,
      tenant: caller.tenant,
      protocolVersion,
      clientInfo: params.clientInfo,
      clientCapabilities: params.capabilities ?? {},
      logLevel: undefined,
      subscriptions: [],
      transport,
      createdAt: now,
      lastSeenAt: now,
    };
    const result = { protocolVersion, ...this.o.app.initialize(params) } as InitializeResult;
    await this.o.sessions.create(record);
    this.o.metrics.sessions.inc();
    this.o.metrics.rpcRequests.inc({ method: "initialize", outcome: "ok" });
    this.o.logger.info({ sessionId: record.id, protocolVersion, transport, client: params.clientInfo?.name }, "session started");
    return { record, result };
  }

  /** The session of an id, if the caller owns it; another principal's id is answered exactly like an unknown one. */
  find(id: string, caller: CallerIdentity): Promise<SessionRecord | undefined> {
    return this.o.sessions.get(id).then((session) => (session && session.principal === caller.key ? session : undefined));
  }

  /** The session of an id, for messages the gateway itself sends (no caller to check). */
  get(id: string): Promise<SessionRecord | undefined> {
    return this.o.sessions.get(id);
  }

  /** Ends a session on request (DELETE, or the legacy stream closing). */
  async end(session: SessionRecord, why: string): Promise<void> {
    if (await this.o.sessions.delete(session.id)) await this.released(session, why);
  }

  private async released(session: SessionRecord, why: string): Promise<void> {
    this.o.runner.abortSession(session.id, `Session ${why}`);
    for (const l of this.endListeners) l(session.id);
    await this.o.events.deleteSession(session.id);
    this.o.metrics.sessions.dec();
    try {
      await this.o.app.sessionClosed(session);
    } catch (err) {
      this.o.logger.warn({ err, sessionId: session.id }, "releasing the session's upstream state failed");
    }
    this.o.logger.info({ sessionId: session.id, why }, "session ended");
  }
}
