// Runs downstream JSON-RPC requests against the application, whatever transport carried them:
// timeouts, cancellation, server→client requests and their answers, metrics and request logs.
import { randomBytes } from "node:crypto";
import type { JSONRPCMessage, JSONRPCNotification, JSONRPCRequest, JSONRPCResponse } from "@modelcontextprotocol/server";
import type { SessionRecord } from "../session/session-store.js";
import type { Logger } from "../telemetry/logger.js";
import type { Metrics } from "../telemetry/metrics.js";
import type { McpApplication, RequestContext, Result } from "./mcp-application.js";
import { RpcCodes, RpcError } from "./rpc-error.js";

/** Where a request's messages go: its related notifications and requests, then its answer. */
export interface MessageSink {
  related(message: JSONRPCMessage): void;
  answer(message: JSONRPCMessage): void;
}

interface PendingClientRequest {
  resolve(result: Result): void;
  reject(err: RpcError): void;
}

export class RequestRunner {
  private readonly inFlight = new Map<string, Map<string, AbortController>>();
  private readonly pending = new Map<string, PendingClientRequest>();
  private readonly outboundPrefix = randomBytes(6).toString("base64url");
  private outboundSeq = 0;

  constructor(
    private readonly app: McpApplication,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly requestTimeoutMs: number,
  ) {}

  /** Requests being handled right now. */
  get busy(): number {
    let n = 0;
    for (const m of this.inFlight.values()) n += m.size;
    return n;
  }

  async run(request: JSONRPCRequest, session: SessionRecord, sink: MessageSink): Promise<void> {
    const started = performance.now();
    const controller = new AbortController();
    const key = JSON.stringify(request.id);
    let byId = this.inFlight.get(session.id);
    if (!byId) this.inFlight.set(session.id, (byId = new Map()));
    byId.set(key, controller);
    const timer = setTimeout(
      () => controller.abort(new RpcError(RpcCodes.requestTimeout, `Request timed out after ${this.requestTimeoutMs} ms`)),
      this.requestTimeoutMs,
    );
    const ctx: RequestContext = {
      session,
      signal: controller.signal,
      notify: (n) => sink.related(n),
      request: (method, params) => this.requestClient(session, sink, method, params, controller.signal),
    };
    let outcome = "ok";
    try {
      const result = await raceAbort(this.app.handleRequest(request, ctx), controller.signal);
      sink.answer({ jsonrpc: "2.0", id: request.id, result });
    } catch (err) {
      const e = err instanceof RpcError ? err : new RpcError(RpcCodes.internalError, `Internal error: ${(err as Error)?.message ?? String(err)}`);
      outcome = e.code === RpcCodes.requestTimeout ? "timeout" : e.code === RpcCodes.cancelled ? "cancelled" : "error";
      if (!(err instanceof RpcError)) this.logger.error({ err, sessionId: session.id, requestId: request.id, method: request.method }, "request handler failed");
      sink.answer(e.toResponse(request.id));
    } finally {
      clearTimeout(timer);
      byId.delete(key);
      if (byId.size === 0) this.inFlight.delete(session.id);
      const ms = performance.now() - started;
      this.metrics.rpcRequests.inc({ method: request.method, outcome });
      this.metrics.rpcDuration.observe({ method: request.method }, ms / 1000);
      this.logger.debug({ sessionId: session.id, requestId: request.id, method: request.method, outcome, ms: Math.round(ms) }, "request");
    }
  }

  /** Client notifications: cancellation is handled here, the rest goes to the application. */
  async notification(n: JSONRPCNotification, session: SessionRecord): Promise<void> {
    if (n.method === "notifications/cancelled") {
      const params = (n.params ?? {}) as { requestId?: unknown; reason?: unknown };
      const reason = typeof params.reason === "string" ? `: ${params.reason}` : "";
      this.inFlight.get(session.id)?.get(JSON.stringify(params.requestId))?.abort(new RpcError(RpcCodes.cancelled, `Request cancelled by the client${reason}`));
      return;
    }
    try {
      await this.app.handleNotification(n, session);
    } catch (err) {
      this.logger.warn({ err, sessionId: session.id, method: n.method }, "notification handling failed");
    }
  }

  /** A client's answer to one of our server→client requests. */
  clientResponse(session: SessionRecord, response: JSONRPCResponse): void {
    const pending = this.pending.get(`${session.id}\u0000${String(response.id)}`);
    if (!pending) {
      this.logger.info({ sessionId: session.id, id: response.id }, "response from the client matches no pending request; ignored");
      return;
    }
    if ("error" in response) pending.reject(new RpcError(response.error.code, response.error.message, response.error.data));
    else pending.resolve(response.result as Result);
  }

  /** Aborts every request of a session (it ended). */
  abortSession(sessionId: string, reason: string): void {
    for (const controller of this.inFlight.get(sessionId)?.values() ?? []) controller.abort(new RpcError(RpcCodes.sessionNotFound, reason));
    this.inFlight.delete(sessionId);
  }

  abortAll(reason: string): void {
    for (const sessionId of [...this.inFlight.keys()]) this.abortSession(sessionId, reason);
  }

  /** Sends a server→client request through a sink and waits for the client's answer (or the signal). */
  requestClient(session: SessionRecord, sink: MessageSink, method: string, params: Record<string, unknown> | undefined, signal: AbortSignal): Promise<Result> {
    const id = `sapper-${this.outboundPrefix}-${++this.outboundSeq}`;
    const key = `${session.id}\u0000${id}`;
    return new Promise<Result>((resolve, reject) => {
      const cleanup = () => {
        this.pending.delete(key);
        signal.removeEventListener("abort", onAbort);
      };
      const onAbort = () => {
        cleanup();
        reject(signal.reason instanceof RpcError ? signal.reason : new RpcError(RpcCodes.cancelled, "Request aborted"));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.pending.set(key, {
        resolve: (r) => (cleanup(), resolve(r)),
        reject: (e) => (cleanup(), reject(e)),
      });
      sink.related({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) } as JSONRPCRequest);
    });
  }
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e) => (signal.removeEventListener("abort", onAbort), reject(e)),
    );
  });
}
