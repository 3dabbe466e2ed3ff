// The deprecated HTTP+SSE transport (2024-11-05) for old clients, off by default: GET opens the
// session's one event stream and names the endpoint; every POST to that endpoint answers 202 and
// its response travels on the stream. The session lives as long as the stream.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { InitializeRequestParams, JSONRPCMessage, JSONRPCRequest } from "@modelcontextprotocol/server";
import type { Bus } from "../session/bus.js";
import type { Logger } from "../telemetry/logger.js";
import type { SessionRecord } from "../session/session-store.js";
import { parseBody, requireJsonContentType } from "./parse-body.js";
import { LEGACY_SSE_VERSIONS } from "./protocol-versions.js";
import type { MessageSink, RequestRunner } from "./request-runner.js";
import { HttpProtocolError, RpcCodes } from "./rpc-error.js";
import type { CallerIdentity, SessionLifecycle } from "./session-lifecycle.js";
import { BROADCAST_CHANNEL, sessionChannel } from "./session-messenger.js";
import { SseWriter } from "./sse-writer.js";

export interface LegacySseOptions {
  lifecycle: SessionLifecycle;
  runner: RequestRunner;
  bus: Bus;
  logger: Logger;
  messagesPath: string;
  maxJsonDepth: number;
  keepAliveMs: number;
}

interface LegacyStream {
  writer: SseWriter;
  /** Set once the client's initialize arrived; until then only initialize is accepted. */
  session: SessionRecord | undefined;
  caller: CallerIdentity;
  unsubscribe: (() => void) | undefined;
}

export class LegacySseHandler {
  /** Streams by the connection id handed out in the endpoint URL. */
  private readonly streams = new Map<string, LegacyStream>();
  /** Session id -> connection id, so that a session ended elsewhere (expiry) closes its stream. */
  private readonly bySession = new Map<string, string>();

  private readonly unsubscribeBroadcast: () => void;

  constructor(private readonly o: LegacySseOptions) {
    o.lifecycle.onEnd((sessionId) => this.streams.get(this.bySession.get(sessionId) ?? "")?.writer.end());
    this.unsubscribeBroadcast = o.bus.subscribe(BROADCAST_CHANNEL, (payload) => {
      for (const stream of this.streams.values()) if (stream.session) this.send(stream, payload as JSONRPCMessage);
    });
  }

  /** GET: open the stream; the endpoint event carries the id that every POST must quote. */
  async open(res: ServerResponse, caller: CallerIdentity): Promise<void> {
    const id = randomBytes(24).toString("base64url");
    const writer = new SseWriter(res, {}, this.o.keepAliveMs, () => void this.closed(id));
    this.streams.set(id, { writer, session: undefined, caller, unsubscribe: undefined });
    writer.named("endpoint", `${this.o.messagesPath}?sessionId=${id}`);
    this.o.logger.info({ transport: "sse" }, "legacy SSE stream opened");
  }

  /** POST to the messages endpoint. */
  async post(req: IncomingMessage, res: ServerResponse, body: Buffer, caller: CallerIdentity, connectionId: string | null): Promise<void> {
    const stream = connectionId ? this.streams.get(connectionId) : undefined;
    if (!stream || stream.caller.key !== caller.key) {
      throw new HttpProtocolError(404, RpcCodes.sessionNotFound, "Session not found: open a new SSE stream");
    }
    requireJsonContentType(req.headers["content-type"]);
    const parsed = parseBody(body, this.o.maxJsonDepth);
    res.writeHead(202, { "content-type": "text/plain", "content-length": 8 }).end("Accepted");
    const sink: MessageSink = {
      related: (m) => this.send(stream, m),
      answer: (m) => this.send(stream, m),
    };
    for (const item of parsed.items) {
      if ("invalid" in item) {
        sink.answer(item.invalid.toResponse(item.id));
        continue;
      }
      if ("method" in item && item.method === "initialize" && "id" in item) {
        await this.initialize(stream, connectionId!, item as JSONRPCRequest);
        continue;
      }
      const session = stream.session;
      if (!session) {
        if ("id" in item && "method" in item) sink.answer(new HttpProtocolError(400, RpcCodes.invalidRequest, "Invalid Request: send initialize first").toResponse(item.id));
        continue;
      }
      if ("method" in item && "id" in item) void this.o.runner.run(item as JSONRPCRequest, session, sink);
      else if ("method" in item) await this.o.runner.notification(item, session);
      else this.o.runner.clientResponse(session, item);
    }
  }

  private async initialize(stream: LegacyStream, connectionId: string, msg: JSONRPCRequest): Promise<void> {
    if (stream.session) {
      this.send(stream, new HttpProtocolError(400, RpcCodes.invalidRequest, "Invalid Request: this session is already initialized").toResponse(msg.id));
      return;
    }
    try {
      const { record, result } = await this.o.lifecycle.start((msg.params ?? {}) as InitializeRequestParams, stream.caller, "sse", LEGACY_SSE_VERSIONS);
      stream.session = record;
      this.bySession.set(record.id, connectionId);
      // Messages for the session outside its requests (notifications, server→client requests).
      stream.unsubscribe = this.o.bus.subscribe(sessionChannel(record.id), (payload) => this.send(stream, payload as JSONRPCMessage));
      this.send(stream, { jsonrpc: "2.0", id: msg.id, result });
    } catch (err) {
      const e = err instanceof HttpProtocolError ? err : new HttpProtocolError(500, RpcCodes.internalError, (err as Error).message);
      this.send(stream, e.toResponse(msg.id));
    }
  }

  private send(stream: LegacyStream, message: JSONRPCMessage): void {
    stream.writer.event(JSON.stringify(message));
  }

  private async closed(connectionId: string): Promise<void> {
    const stream = this.streams.get(connectionId);
    this.streams.delete(connectionId);
    stream?.unsubscribe?.();
    if (!stream?.session) return;
    this.bySession.delete(stream.session.id);
    await this.o.lifecycle.end(stream.session, "stream closed");
  }

  /** Ends every legacy stream (shutdown). */
  closeAll(): void {
    for (const s of this.streams.values()) s.writer.end();
    this.unsubscribeBroadcast();
  }
}
