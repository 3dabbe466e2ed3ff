// Runs downstream JSON-RPC requests against the application, whatever transport carried them:
// timeouts, cancellation, server→client requests and their answers, metrics and request logs.
import { randomBytes } from "node:crypto";
import type { JSONRPCMessage, JSONRPCNotification, JSONRPCRequest, JSONRPCResponse } from "@modelcontextprotocol/server";
import { Cancellation, type CancelSignal } from "../cancellation.js";
import { DeadlineSweep, type Expiring } from "../deadline-sweep.js";
import type { SessionRecord } from "../session/session-store.js";
import type { Logger } from "../telemetry/logger.js";
import type { Metrics } from "../telemetry/metrics.js";
import type { CounterChild, HistogramChild } from "../telemetry/hot-metrics.js";
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

/** Methods that get their own metric label; anything else a client sends is counted as "other", so clients cannot grow the series. */
const METRIC_METHODS = new Set([
  "initialize", "ping", "tools/list", "tools/call", "prompts/list", "prompts/get", "resources/list", "resources/read",
  "resources/templates/list", "resources/subscribe", "resources/unsubscribe", "completion/complete", "logging/setLevel",
]);

interface MethodSeries {
  duration: HistogramChild;
  outcomes: Map<string, CounterChild>;
  /** Creates and caches the counter child of an outcome. */
  outcome(outcome: string): CounterChild;
}

/**
 * One request being handled: the application's context for it, its cancellation and its deadline, in
 * one object (closures and an AbortSignal per request showed in allocation profiles).
 */
class RunningRequest extends Cancellation implements RequestContext {
  readonly signal: CancelSignal = this;
  settled = false;
  /** Its index in `peers` while it is registered there. */
  slot = -1;

  constructor(
    private readonly runner: RequestRunner,
    readonly message: JSONRPCRequest,
    readonly session: SessionRecord,
    readonly sink: MessageSink,
    /** The in-flight requests of this request's session: where it is registered. */
    readonly peers: SessionRequests,
    readonly started: number,
    readonly deadline: number,
  ) {
    super();
  }

  notify(notification: JSONRPCNotification): void {
    this.sink.related(notification);
  }

  request(method: string, params?: Record<string, unknown>): Promise<Result> {
    return this.runner.requestClient(this.session, this.sink, method, params, this);
  }
}

/**
 * A session's in-flight requests: an array with swap-removal, not a Map by id. A Map under constant
 * set/delete replaces its hash table, and V8 links each replaced table to the next (see
 * upstream/call-table.ts); that kept request graphs alive into the old generation under load. Finding
 * a request by id (for cancellation) scans the array: a session seldom has more than a few in flight.
 */
class SessionRequests {
  private readonly items: RunningRequest[] = [];

  add(running: RunningRequest): void {
    running.slot = this.items.length;
    this.items.push(running);
  }

  remove(running: RunningRequest): void {
    const index = running.slot;
    if (this.items[index] !== running) return;
    const last = this.items.pop() as RunningRequest;
    if (last !== running) {
      this.items[index] = last;
      last.slot = index;
    }
    running.slot = -1;
  }

  /** The request with this id (1 and "1" are different ids, as in JSON-RPC). */
  find(id: unknown): RunningRequest | undefined {
    return this.items.find((running) => running.message.id === id);
  }

  /** A copy, safe to iterate while requests settle. */
  snapshot(): RunningRequest[] {
    return this.items.slice();
  }
}

export class RequestRunner implements Expiring {
  /** In-flight requests per session; a session's list lives as long as the session. */
  private readonly inFlight = new Map<string, SessionRequests>();
  private unsettled = 0;
  private readonly pending = new Map<string, PendingClientRequest>();
  /** Metric children per method, looked up once: label hashing per request showed in profiles. */
  private readonly series = new Map<string, MethodSeries>();
  private readonly outboundPrefix = randomBytes(6).toString("base64url");
  private outboundSeq = 0;
  /** One sweep enforces every request's deadline, instead of a timer per request. */
  private readonly deadlines: DeadlineSweep;

  constructor(
    private readonly app: McpApplication,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly requestTimeoutMs: number,
  ) {
    this.deadlines = new DeadlineSweep(Math.max(10, Math.min(1_000, Math.floor(requestTimeoutMs / 4))));
  }

  /** Requests being handled right now. */
  get busy(): number {
    return this.unsettled;
  }

  /**
   * Handles one request and answers it through the sink exactly once: with the application's result,
   * or with an error as soon as the request fails, times out, is cancelled or its session ends. An
   * answer the application produces after that is dropped.
   */
  async run(request: JSONRPCRequest, session: SessionRecord, sink: MessageSink): Promise<void> {
    const now = Date.now();
    let peers = this.inFlight.get(session.id);
    if (!peers) this.inFlight.set(session.id, (peers = new SessionRequests()));
    const running = new RunningRequest(this, request, session, sink, peers, performance.now(), now + this.requestTimeoutMs);
    peers.add(running);
    this.unsettled++;
    this.deadlines.watch(this);
    try {
      const result = await this.app.handleRequest(request, running);
      this.settle(running, "ok", { jsonrpc: "2.0", id: request.id, result });
    } catch (err) {
      if (!(err instanceof RpcError)) this.logger.error({ err, sessionId: session.id, requestId: request.id, method: request.method }, "request handler failed");
      this.fail(running, err instanceof RpcError ? err : new RpcError(RpcCodes.internalError, `Internal error: ${(err as Error)?.message ?? String(err)}`));
    }
  }

  /** Aborts a request (its handler sees the signal) and answers it with the error right away. */
  private abort(running: RunningRequest, err: RpcError): void {
    running.abort(err);
    this.fail(running, err);
  }

  private fail(running: RunningRequest, e: RpcError): void {
    const outcome = e.code === RpcCodes.requestTimeout ? "timeout" : e.code === RpcCodes.cancelled ? "cancelled" : "error";
    this.settle(running, outcome, e.toResponse(running.message.id));
  }

  private settle(running: RunningRequest, outcome: string, answer: JSONRPCMessage): void {
    if (running.settled) return;
    running.settled = true;
    this.unsettled--;
    running.peers.remove(running);
    running.sink.answer(answer);
    const { method } = running.message;
    const ms = performance.now() - running.started;
    const series = this.seriesFor(METRIC_METHODS.has(method) ? method : "other");
    (series.outcomes.get(outcome) ?? series.outcome(outcome)).inc();
    series.duration.observe(ms / 1000);
    if (this.logger.isLevelEnabled("debug")) {
      this.logger.debug({ sessionId: running.session.id, requestId: running.message.id, method, outcome, ms: Math.round(ms) }, "request");
    }
  }

  /** Client notifications: cancellation is handled here, the rest goes to the application. */
  async notification(n: JSONRPCNotification, session: SessionRecord): Promise<void> {
    if (n.method === "notifications/cancelled") {
      const params = (n.params ?? {}) as { requestId?: unknown; reason?: unknown };
      const reason = typeof params.reason === "string" ? `: ${params.reason}` : "";
      const running = this.inFlight.get(session.id)?.find(params.requestId);
      if (running) this.abort(running, new RpcError(RpcCodes.cancelled, `Request cancelled by the client${reason}`));
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
    const peers = this.inFlight.get(sessionId);
    this.inFlight.delete(sessionId);
    for (const running of peers?.snapshot() ?? []) this.abort(running, new RpcError(RpcCodes.sessionNotFound, reason));
  }

  abortAll(reason: string): void {
    for (const peers of this.inFlight.values()) for (const running of peers.snapshot()) this.abort(running, new RpcError(RpcCodes.internalError, reason));
  }

  close(): void {
    this.deadlines.close();
  }

  private seriesFor(method: string): MethodSeries {
    let series = this.series.get(method);
    if (!series) {
      const outcomes = new Map<string, CounterChild>();
      series = {
        duration: this.metrics.rpcDuration.labels(method),
        outcomes,
        outcome: (outcome) => {
          const child = this.metrics.rpcRequests.labels(method, outcome);
          outcomes.set(outcome, child);
          return child;
        },
      };
      this.series.set(method, series);
    }
    return series;
  }

  /** Times out every request past its deadline (the sweep calls this); returns whether any remain. */
  expire(now: number): boolean {
    for (const peers of this.inFlight.values()) {
      for (const running of peers.snapshot()) {
        if (running.deadline <= now) this.abort(running, new RpcError(RpcCodes.requestTimeout, `Request timed out after ${this.requestTimeoutMs} ms`));
      }
    }
    return this.unsettled > 0;
  }

  /** Sends a server→client request through a sink and waits for the client's answer (or the signal). */
  requestClient(session: SessionRecord, sink: MessageSink, method: string, params: Record<string, unknown> | undefined, signal: CancelSignal): Promise<Result> {
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
