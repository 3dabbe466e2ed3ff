// The 2025-era Streamable HTTP server protocol (2025-11-25, negotiating 2025-06-18 and
// 2025-03-26): POST/GET/DELETE on one path, sessions, JSON or SSE responses, resumable streams,
// cancellation and server→client requests. It knows nothing of what answers the requests.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type {
  InitializeRequestParams,
  JSONRPCErrorResponse,
  JSONRPCMessage,
  JSONRPCRequest,
  RequestId,
} from "@modelcontextprotocol/server";
import type { Bus } from "../session/bus.js";
import type { EventLog } from "../session/event-log.js";
import type { SessionRecord } from "../session/session-store.js";
import type { Logger } from "../telemetry/logger.js";
import type { Metrics } from "../telemetry/metrics.js";
import { writeEmpty, writeJson } from "./json-response.js";
import { isNotification, isRequest, isResponse } from "./json-rpc-shape.js";
import { parseBody, requireJsonContentType, type ParsedBody } from "./parse-body.js";
import { allowsBatches, STREAMABLE_HTTP_VERSIONS, wantsPrimingEvent } from "./protocol-versions.js";
import type { MessageSink, RequestRunner } from "./request-runner.js";
import { HttpProtocolError, RpcCodes } from "./rpc-error.js";
import type { CallerIdentity, SessionLifecycle } from "./session-lifecycle.js";
import { BROADCAST_CHANNEL, sessionChannel } from "./session-messenger.js";
import { SseWriter } from "./sse-writer.js";

export interface StreamableHttpOptions {
  lifecycle: SessionLifecycle;
  runner: RequestRunner;
  events: EventLog;
  bus: Bus;
  logger: Logger;
  metrics: Metrics;
  maxJsonDepth: number;
  keepAliveMs: number;
}

const SESSION_HEADER = "mcp-session-id";
const VERSION_HEADER = "mcp-protocol-version";
const STANDALONE = "standalone";
const RETRY_MS = 1_000;

function accepts(req: IncomingMessage, type: string): boolean {
  const accept = req.headers.accept ?? "";
  return accept.includes(type) || accept.includes("*/*");
}
function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function isInitialize(m: ParsedBody["items"][number]): boolean {
  return !("invalid" in m) && isRequest(m) && m.method === "initialize";
}

function foundOr404(session: SessionRecord | undefined): SessionRecord {
  if (!session) throw new HttpProtocolError(404, RpcCodes.sessionNotFound, "Session not found: it expired or was deleted; initialize a new session");
  return session;
}

/**
 * One POST's response: JSON while nothing but the final answers is sent, upgraded to an SSE stream
 * (with a priming event) as soon as a notification or server→client request must go out first.
 * Messages of an SSE stream are logged, so a client that loses the stream resumes it with GET.
 */
class ResponseStream implements MessageSink {
  private sse: SseWriter | undefined;
  /** Answers held back until the last one is ready (a JSON response carries them all). */
  private answers: JSONRPCMessage[] | undefined;
  private outstanding: number;
  /** Serializes SSE writes (log append, then write); unused for JSON responses. */
  private queue: Promise<void> | undefined;
  private done = false;
  /** Assigned when the response becomes an SSE stream; a JSON answer needs none. */
  private streamId = "";

  constructor(
    private readonly h: StreamableHttpHandler,
    private readonly res: ServerResponse,
    private readonly session: SessionRecord,
    expected: number,
    private readonly batch: boolean,
  ) {
    this.outstanding = expected;
  }

  /** A notification or request related to one of this stream's requests. */
  related(message: JSONRPCMessage): void {
    if (this.done) {
      this.h.toStandalone(this.session.id, message);
      return;
    }
    this.upgrade();
    this.enqueue(message);
  }

  answer(message: JSONRPCMessage): void {
    if (this.done) return;
    this.outstanding--;
    if (!this.sse) {
      if (this.outstanding === 0 && !this.batch) {
        this.done = true;
        writeJson(this.res, 200, { [SESSION_HEADER]: this.session.id }, message);
        return;
      }
      (this.answers ??= []).push(message);
      if (this.outstanding === 0) {
        this.done = true;
        writeJson(this.res, 200, { [SESSION_HEADER]: this.session.id }, this.answers);
      }
      return;
    }
    this.enqueue(message);
    if (this.outstanding === 0) {
      this.done = true;
      this.queue = (this.queue ?? Promise.resolve()).then(async () => {
        await this.h.events.complete(this.session.id, this.streamId);
        this.h.liveWriter(this.session.id, this.streamId)?.end();
        this.h.detach(this.session.id, this.streamId);
      });
    }
  }

  private upgrade(): void {
    if (this.sse) return;
    this.streamId = this.h.newStreamId();
    this.sse = this.h.attach(this.session, this.streamId, this.res, { [SESSION_HEADER]: this.session.id });
    // Answers of a batch held back for a JSON response now go out on the stream first.
    for (const held of this.answers ?? []) this.enqueue(held);
    this.answers = undefined;
  }

  private enqueue(message: JSONRPCMessage): void {
    this.queue = (this.queue ?? Promise.resolve())
      .then(async () => {
        const eventId = await this.h.events.append(this.session.id, this.streamId, message);
        this.h.liveWriter(this.session.id, this.streamId)?.event(JSON.stringify(message), eventId);
      })
      .catch((err: unknown) => this.h.logger.error({ err, sessionId: this.session.id }, "failed to deliver a stream message"));
  }
}

export class StreamableHttpHandler {
  readonly events: EventLog;
  readonly logger: Logger;
  private readonly writers = new Map<string, SseWriter>();
  private readonly sessionsWithStandalone = new Set<string>();
  private readonly standaloneUnsubscribers = new Map<string, () => void>();
  private readonly unsubscribers: Array<() => void> = [];
  private active = 0;
  private draining = false;
  private readonly streamPrefix = randomBytes(6).toString("base64url");
  private streamSeq = 0;

  constructor(private readonly o: StreamableHttpOptions) {
    this.events = o.events;
    this.logger = o.logger;
    this.unsubscribers.push(
      o.bus.subscribe(BROADCAST_CHANNEL, (payload) => {
        for (const sessionId of this.sessionsWithStandalone) this.deliverStandalone(sessionId, payload as JSONRPCMessage);
      }),
    );
    o.lifecycle.onEnd((sessionId) => this.closeStreams(sessionId));
  }

  // ---- HTTP entry points -----------------------------------------------------------------

  async handle(req: IncomingMessage, res: ServerResponse, body: Buffer | undefined, caller: CallerIdentity): Promise<void> {
    this.active++;
    try {
      if (this.draining) throw new HttpProtocolError(503, RpcCodes.badRequest, "Service Unavailable: the gateway is shutting down", { "retry-after": "1" });
      switch (req.method) {
        case "POST":
          return await this.handlePost(req, res, body ?? Buffer.alloc(0), caller);
        case "GET":
          return await this.handleGet(req, res, caller);
        case "DELETE":
          return await this.handleDelete(req, res, caller);
        default:
          throw new HttpProtocolError(405, RpcCodes.badRequest, `Method Not Allowed: use POST, GET or DELETE`, { allow: "GET, POST, DELETE" });
      }
    } catch (err) {
      this.fail(res, err, req);
    } finally {
      this.active--;
    }
  }

  /** Writes a protocol error as HTTP status plus JSON-RPC error body. */
  fail(res: ServerResponse, err: unknown, req?: IncomingMessage, id: RequestId | null = null): void {
    const e =
      err instanceof HttpProtocolError
        ? err
        : new HttpProtocolError(500, RpcCodes.internalError, `Internal error: ${(err as Error)?.message ?? String(err)}`);
    if (e.status >= 500) this.logger.error({ err, method: req?.method }, "request failed");
    else this.logger.info({ status: e.status, reason: e.message, method: req?.method }, "request refused");
    this.o.metrics.protocolErrors.inc({ reason: String(e.status) });
    if (res.headersSent) {
      res.end();
      return;
    }
    writeJson(res, e.status, { ...e.headers }, e.toResponse(id));
  }

  // ---- POST ------------------------------------------------------------------------------

  private async handlePost(req: IncomingMessage, res: ServerResponse, body: Buffer, caller: CallerIdentity): Promise<void> {
    requireJsonContentType(header(req, "content-type"));
    if (!accepts(req, "application/json") || !accepts(req, "text/event-stream")) {
      throw new HttpProtocolError(406, RpcCodes.badRequest, "Not Acceptable: Accept must list both application/json and text/event-stream");
    }
    const parsed = parseBody(body, this.o.maxJsonDepth);
    const first = parsed.items[0]!;
    if (!parsed.batch && "invalid" in first) throw Object.assign(new HttpProtocolError(400, first.invalid.code, first.invalid.message), {});
    if (parsed.items.some(isInitialize)) {
      if (parsed.batch) throw new HttpProtocolError(400, RpcCodes.invalidRequest, "Invalid Request: initialize must not be part of a batch");
      return this.initialize(req, res, first as JSONRPCRequest, caller);
    }
    const session = await this.requireSession(req, caller);
    this.checkVersionHeader(req);
    if (parsed.batch && !allowsBatches(session.protocolVersion)) {
      throw new HttpProtocolError(400, RpcCodes.invalidRequest, `Invalid Request: JSON-RPC batches are not supported in protocol ${session.protocolVersion}`);
    }
    // Not awaited: from here the runner counts the requests (busy) and answers them on their own
    // stream, so this POST's frames end now instead of living as long as its requests (which made
    // them survive into the old generation under load).
    this.dispatch(res, session, parsed).catch((err: unknown) => this.fail(res, err, req));
  }

  private async initialize(req: IncomingMessage, res: ServerResponse, msg: JSONRPCRequest, caller: CallerIdentity): Promise<void> {
    if (header(req, SESSION_HEADER)) {
      throw new HttpProtocolError(400, RpcCodes.invalidRequest, "Invalid Request: initialize starts a new session and must not carry Mcp-Session-Id");
    }
    const params = (msg.params ?? {}) as InitializeRequestParams;
    const { record, result } = await this.o.lifecycle.start(params, caller, "streamable-http", STREAMABLE_HTTP_VERSIONS);
    writeJson(res, 200, { [SESSION_HEADER]: record.id }, { jsonrpc: "2.0", id: msg.id, result });
  }

  /** Handles the messages of one POST of an established session. */
  dispatch(res: ServerResponse, session: SessionRecord, parsed: ParsedBody): Promise<void> {
    // The common case, one request in a POST, without the bookkeeping a batch needs.
    const single = parsed.batch ? undefined : parsed.items[0];
    if (single && !("invalid" in single) && isRequest(single)) {
      return this.o.runner.run(single, session, new ResponseStream(this, res, session, 1, false));
    }
    return this.dispatchEach(res, session, parsed);
  }

  private async dispatchEach(res: ServerResponse, session: SessionRecord, parsed: ParsedBody): Promise<void> {
    // Counted as busy until its requests reach the runner: a drain must not end between the two.
    this.active++;
    try {
      await this.dispatchItems(res, session, parsed);
    } finally {
      this.active--;
    }
  }

  private async dispatchItems(res: ServerResponse, session: SessionRecord, parsed: ParsedBody): Promise<void> {
    const requests: JSONRPCRequest[] = [];
    const immediate: JSONRPCErrorResponse[] = [];
    for (const item of parsed.items) {
      if ("invalid" in item) immediate.push(item.invalid.toResponse(item.id));
      else if (isRequest(item)) requests.push(item);
      else if (isNotification(item)) await this.o.runner.notification(item, session);
      else if (isResponse(item)) this.o.runner.clientResponse(session, item);
    }
    if (requests.length === 0 && immediate.length === 0) {
      writeEmpty(res, 202, { [SESSION_HEADER]: session.id });
      return;
    }
    const stream = new ResponseStream(this, res, session, requests.length + immediate.length, parsed.batch);
    for (const e of immediate) stream.answer(e);
    await Promise.all(requests.map((r) => this.o.runner.run(r, session, stream)));
  }

  // ---- GET (standalone stream and resumption) -------------------------------------------

  private async handleGet(req: IncomingMessage, res: ServerResponse, caller: CallerIdentity): Promise<void> {
    if (!accepts(req, "text/event-stream")) {
      throw new HttpProtocolError(406, RpcCodes.badRequest, "Not Acceptable: Accept must include text/event-stream");
    }
    const session = await this.requireSession(req, caller);
    this.checkVersionHeader(req);
    const lastEventId = header(req, "last-event-id");
    if (lastEventId) {
      const replay = await this.events.eventsAfter(session.id, lastEventId);
      if (replay) return this.resume(session, res, replay.streamId, replay.events, replay.complete);
      this.logger.info({ sessionId: session.id }, "Last-Event-ID is unknown or expired; opening a fresh stream");
    }
    if (this.writers.has(this.writerKey(session.id, STANDALONE))) {
      throw new HttpProtocolError(409, RpcCodes.badRequest, "Conflict: this session already has an open GET stream");
    }
    this.attach(session, STANDALONE, res, { [SESSION_HEADER]: session.id });
    this.openStandalone(session.id);
  }

  private resume(session: SessionRecord, res: ServerResponse, streamId: string, events: Array<{ eventId: string; message: JSONRPCMessage }>, complete: boolean): void {
    const key = this.writerKey(session.id, streamId);
    this.writers.get(key)?.end();
    const writer = this.attach(session, streamId, res, { [SESSION_HEADER]: session.id }, false);
    for (const e of events) writer.event(JSON.stringify(e.message), e.eventId);
    // A request stream whose answer was already logged has nothing more to send.
    if (complete) {
      writer.end();
      this.detach(session.id, streamId);
    }
    if (streamId === STANDALONE) this.openStandalone(session.id);
    this.logger.info({ sessionId: session.id, streamId, replayed: events.length }, "stream resumed");
  }

  private openStandalone(sessionId: string): void {
    if (this.sessionsWithStandalone.has(sessionId)) return;
    this.sessionsWithStandalone.add(sessionId);
    const unsubscribe = this.o.bus.subscribe(sessionChannel(sessionId), (payload) => this.deliverStandalone(sessionId, payload as JSONRPCMessage));
    this.standaloneUnsubscribers.set(sessionId, unsubscribe);
  }

  /** Messages outside any request go to the session's GET stream, logged so a reconnect replays them. */
  toStandalone(sessionId: string, message: JSONRPCMessage): void {
    this.o.bus.publish(sessionChannel(sessionId), message);
  }

  private deliverStandalone(sessionId: string, message: JSONRPCMessage): void {
    void this.events
      .append(sessionId, STANDALONE, message)
      .then((eventId) => this.writers.get(this.writerKey(sessionId, STANDALONE))?.event(JSON.stringify(message), eventId))
      .catch((err: unknown) => this.logger.error({ err, sessionId }, "failed to deliver a standalone message"));
  }

  // ---- DELETE ----------------------------------------------------------------------------

  private async handleDelete(req: IncomingMessage, res: ServerResponse, caller: CallerIdentity): Promise<void> {
    const session = await this.requireSession(req, caller);
    this.checkVersionHeader(req);
    await this.o.lifecycle.end(session, "deleted");
    writeEmpty(res, 200, {});
  }

  private closeStreams(sessionId: string): void {
    for (const [key, writer] of this.writers) if (key.startsWith(`${sessionId}\u0000`)) writer.end();
    this.sessionsWithStandalone.delete(sessionId);
    this.standaloneUnsubscribers.get(sessionId)?.();
    this.standaloneUnsubscribers.delete(sessionId);
  }

  // ---- shared helpers --------------------------------------------------------------------

  private requireSession(req: IncomingMessage, caller: CallerIdentity): Promise<SessionRecord> {
    const id = header(req, SESSION_HEADER);
    if (!id) throw new HttpProtocolError(400, RpcCodes.badRequest, "Bad Request: Mcp-Session-Id header is required (send initialize first)");
    return this.o.lifecycle.find(id, caller).then(foundOr404);
  }


  private checkVersionHeader(req: IncomingMessage): void {
    const v = header(req, VERSION_HEADER);
    if (v !== undefined && !(STREAMABLE_HTTP_VERSIONS as readonly string[]).includes(v)) {
      throw new HttpProtocolError(
        400,
        RpcCodes.badRequest,
        `Bad Request: unsupported MCP-Protocol-Version ${JSON.stringify(v)} (supported: ${STREAMABLE_HTTP_VERSIONS.join(", ")})`,
      );
    }
  }

  /** Unique per replica; stream ids are only ever looked up within their session. */
  newStreamId(): string {
    return `${this.streamPrefix}${(++this.streamSeq).toString(36)}`;
  }

  private writerKey(sessionId: string, streamId: string): string {
    return `${sessionId}\u0000${streamId}`;
  }

  liveWriter(sessionId: string, streamId: string): SseWriter | undefined {
    return this.writers.get(this.writerKey(sessionId, streamId));
  }

  detach(sessionId: string, streamId: string): void {
    this.writers.delete(this.writerKey(sessionId, streamId));
  }

  /** Opens an SSE response for a stream and registers it as the stream's live writer. */
  attach(session: SessionRecord, streamId: string, res: ServerResponse, headers: Record<string, string>, prime = true): SseWriter {
    const key = this.writerKey(session.id, streamId);
    const writer: SseWriter = new SseWriter(res, headers, this.o.keepAliveMs, () => {
      if (this.writers.get(key) === writer) this.writers.delete(key);
    });
    this.writers.set(key, writer);
    if (prime && wantsPrimingEvent(session.protocolVersion)) {
      void this.events
        .prime(session.id, streamId)
        .then((id) => writer.event("", id, RETRY_MS))
        .catch((err: unknown) => this.logger.error({ err }, "priming event failed"));
    }
    return writer;
  }

  /** HTTP exchanges and requests being handled right now (for graceful shutdown). */
  get busy(): number {
    return this.active + this.o.runner.busy;
  }

  /** Stops taking requests, waits for in-flight work up to the deadline, then ends every stream. */
  async drain(deadlineMs: number): Promise<void> {
    this.draining = true;
    const until = Date.now() + deadlineMs;
    while (this.busy > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    this.o.runner.abortAll("The gateway is shutting down");
    for (const writer of this.writers.values()) writer.end();
    for (const u of this.unsubscribers) u();
    for (const u of this.standaloneUnsubscribers.values()) u();
  }
}
