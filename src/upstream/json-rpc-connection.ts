// One JSON-RPC conversation with an upstream MCP server over any SDK Transport: the client half of the
// initialize handshake, our own request ids (many callers share one pipe), per-call progress, timeout
// and cancellation, and routing of whatever the server sends on its own.
import type { DeadlineSweep, Expiring } from "../deadline-sweep.js";
import {
  SUPPORTED_PROTOCOL_VERSIONS,
  type InitializeResult,
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type JSONRPCResultResponse,
  type ProgressToken,
  type RequestId,
  type Transport,
} from "@modelcontextprotocol/client";
import { InitializeResultSchema } from "@modelcontextprotocol/core";
import type { Logger } from "../telemetry/logger.js";
import type { Metrics } from "../telemetry/metrics.js";
import { isErrorResponse, isRequest, isResponse } from "../mcp/json-rpc-shape.js";
import { SAPPER_VERSION } from "../version.js";
import { CallTable } from "./call-table.js";
import { InvalidMessageError } from "./child-process-transport.js";
import { maskSecrets } from "./secret-mask.js";
import { transportFailure } from "./transport-failure.js";
import { upstreamFailure } from "./upstream-failure.js";
import { CATALOG_SESSION_ID, UpstreamError, type Params, type Result, type UpstreamCallContext, type UpstreamEventSink } from "./upstream.js";

const PROTOCOL_VERSION = "2025-11-25";
const CLIENT_CAPABILITIES = { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } };
const CLIENT_INFO = { name: "sapper", version: SAPPER_VERSION };

const METHOD_NOT_FOUND = -32601;
const INTERNAL_ERROR = -32603;

/** What a single call brings besides its method and params (the routing parts of UpstreamCallContext). */
export type CallHooks = Pick<UpstreamCallContext, "signal" | "onNotification" | "onRequest">;

export interface JsonRpcConnectionOptions {
  /** The upstream's configured name, used in every message and log line. */
  upstream: string;
  transport: Transport;
  /** The downstream session this connection serves; undefined when all sessions share it (stdio pool). */
  sessionId: string | undefined;
  logger: Logger;
  metrics: Metrics;
  events: UpstreamEventSink;
  /** Enforces call timeouts; shared by the connections of one upstream. */
  deadlines: DeadlineSweep;
  /** How the connection ended, for error messages: "exited (code 1)", "closed the connection". */
  describeClose(): string;
  /** Configured credentials (headers, env values), masked in logged transport errors and in error messages. */
  secrets: readonly string[];
  /** Turns a failed `transport.send` into the caller's error; defaults to HTTP-aware classification. */
  sendFailure?(err: unknown, method: string): UpstreamError;
  /** A call settled, so a waiting request may take its slot. */
  onSlotFree(): void;
  /** The transport closed without close() being called (process exit, stream loss). */
  onLost(): void;
  /** Every transport error, after it has been logged (e.g. to treat a dropped SSE stream as fatal). */
  onTransportError?(error: Error): void;
}

/** A request sent and not yet answered. It is also the listener on the caller's abort signal. */
class Call {
  /** When the call times out (epoch ms); Infinity while its timeout is paused. */
  deadline = Infinity;
  /** Server→client requests for this call still waiting on the client; the timeout pauses meanwhile. */
  waitingOnClient = 0;
  /** Set right after construction, by the promise the caller waits on. */
  resolve!: (result: Result) => void;
  reject!: (err: UpstreamError) => void;

  constructor(
    private readonly connection: JsonRpcConnection,
    readonly id: number,
    readonly method: string,
    readonly hooks: CallHooks,
    /** The token the caller put in `_meta.progressToken`, restored on the progress it receives. */
    readonly callerProgressToken: ProgressToken | undefined,
    readonly timeoutMs: number,
    /** Aborts the call's own HTTP request stream; only for transports with one (Streamable HTTP). */
    readonly stream: AbortController | undefined,
  ) {}

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.connection.callerAborted(this);
  }
}

export class JsonRpcConnection implements Expiring {
  private nextId = 1;
  private readonly calls = new CallTable<Call>();
  private state: "new" | "open" | "closed" = "new";

  constructor(private readonly options: JsonRpcConnectionOptions) {
    const { transport } = options;
    transport.onmessage = (message: JSONRPCMessage) => this.receive(message);
    transport.onerror = (error: Error) => this.transportError(error);
    transport.onclose = () => this.transportClosed();
  }

  /** Requests sent and not yet answered (the unit of load balancing and of attribution). */
  get inFlight(): number {
    return this.calls.size;
  }

  get isOpen(): boolean {
    return this.state === "open";
  }

  /** Starts the transport and performs the initialize handshake; on failure everything is closed again. */
  async open(timeoutMs: number): Promise<InitializeResult> {
    try {
      await this.options.transport.start();
      this.state = "open";
      const raw = await this.request(
        "initialize",
        { protocolVersion: PROTOCOL_VERSION, capabilities: CLIENT_CAPABILITIES, clientInfo: CLIENT_INFO },
        {},
        timeoutMs,
      );
      const result = this.checkInitializeResult(raw);
      this.options.transport.setProtocolVersion?.(result.protocolVersion);
      await this.notify("notifications/initialized", undefined);
      return result;
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /**
   * Sends one request and resolves with its result; every failure is an UpstreamError. The call times
   * out `timeoutMs` after the caller started waiting (`waitedMs` ago, e.g. in a queue); each progress
   * notification grants it a full `timeoutMs` again.
   */
  request(method: string, params: Params, hooks: CallHooks, timeoutMs: number, waitedMs = 0): Promise<Result> {
    return new Promise<Result>((resolve, reject) => this.start(method, params, hooks, timeoutMs, waitedMs, resolve, reject));
  }

  /**
   * request() with the outcome delivered to `resolve`/`reject`: a caller that already holds a promise
   * (a request that waited in a queue) needs no second one chained to it.
   */
  start(
    method: string,
    params: Params,
    hooks: CallHooks,
    timeoutMs: number,
    waitedMs: number,
    resolve: (result: Result) => void,
    reject: (err: UpstreamError) => void,
  ): void {
    const { upstream } = this.options;
    if (this.state !== "open") {
      return reject(upstreamFailure("unavailable", upstream, `upstream "${upstream}" ${this.options.describeClose()}; ${method} was not sent`));
    }
    if (hooks.signal?.aborted) return reject(this.cancelledError(method));

    const id = this.nextId++;
    const callerProgressToken = progressTokenOf(params);
    // Our id doubles as the upstream progress token: unique on this connection, and maps straight back to the call.
    const message = {
      jsonrpc: "2.0",
      id,
      method,
      params: callerProgressToken === undefined ? params : withProgressToken(params, id),
    } as JSONRPCRequest;
    const call = new Call(this, id, method, hooks, callerProgressToken, timeoutMs, this.options.transport.hasPerRequestStream ? new AbortController() : undefined);
    call.resolve = resolve;
    call.reject = reject;
    this.calls.add(call);
    this.armTimer(call, Math.max(1, timeoutMs - waitedMs));
    hooks.signal?.addEventListener("abort", call);
    this.options.transport
      .send(message, call.stream ? { requestSignal: call.stream.signal, onRequestStreamEnd: () => this.streamEnded(call) } : undefined)
      .catch((err: unknown) => {
        if (this.calls.get(id) !== call) return;
        this.settle(call, this.options.sendFailure?.(err, method) ?? transportFailure(upstream, method, err, this.options.secrets));
      });
  }


  async notify(method: string, params: Params): Promise<void> {
    const { upstream } = this.options;
    if (this.state !== "open") {
      throw upstreamFailure("unavailable", upstream, `upstream "${upstream}" ${this.options.describeClose()}; ${method} was not sent`);
    }
    const message = (params === undefined ? { jsonrpc: "2.0", method } : { jsonrpc: "2.0", method, params }) as JSONRPCNotification;
    try {
      await this.options.transport.send(message);
    } catch (err) {
      throw this.options.sendFailure?.(err, method) ?? transportFailure(upstream, method, err, this.options.secrets);
    }
  }

  /**
   * Closes the transport on purpose. Calls still in flight fail with `failure(method)`, by default an
   * "unavailable" error; callers pass their own, e.g. for an upstream session that expired.
   */
  async close(failure?: (method: string) => UpstreamError): Promise<void> {
    if (this.state === "closed") return;
    this.state = "closed";
    const { upstream } = this.options;
    this.failAll(
      failure ??
        ((method) => upstreamFailure("unavailable", upstream, `the connection to upstream "${upstream}" was closed while ${method} was in flight`)),
    );
    try {
      await this.options.transport.close();
    } catch (err) {
      this.options.logger.warn({ upstream, reason: maskSecrets(String(err), this.options.secrets) }, "closing the upstream transport failed");
    }
  }

  private checkInitializeResult(raw: Result): InitializeResult {
    const { upstream } = this.options;
    const parsed = InitializeResultSchema.safeParse(raw);
    if (!parsed.success) {
      throw upstreamFailure("protocol", upstream, `upstream "${upstream}" answered initialize with an invalid result: ${parsed.error.message}`);
    }
    const version = parsed.data.protocolVersion;
    if (!SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      throw upstreamFailure(
        "protocol",
        upstream,
        `upstream "${upstream}" wants protocol version ${version}, which Sapper does not speak (${SUPPORTED_PROTOCOL_VERSIONS.join(", ")})`,
      );
    }
    return raw as InitializeResult;
  }

  private receive(message: JSONRPCMessage): void {
    // The callbacks reached from here belong to the gateway; one that throws must not take down the
    // transport's read loop (on stdio that would be an uncaught exception).
    try {
      if (isResponse(message)) this.receiveResponse(message);
      else if (isRequest(message)) void this.answer(message);
      else this.route(message);
    } catch (err) {
      this.options.logger.error({ upstream: this.options.upstream, err }, "handling a message from the upstream failed");
    }
  }

  private receiveResponse(message: JSONRPCResultResponse | JSONRPCErrorResponse): void {
    const call = typeof message.id === "number" ? this.calls.get(message.id) : undefined;
    if (!call) {
      // Normal after a timeout or a cancellation: the answer arrives for a call that has already ended.
      this.options.logger.debug({ upstream: this.options.upstream, id: message.id }, "upstream answered a request that already ended");
      return;
    }
    if (isErrorResponse(message)) {
      this.settle(call, new UpstreamError(message.error.code, message.error.message, message.error.data));
    } else {
      this.settle(call, undefined, message.result);
    }
  }

  private route(notification: JSONRPCNotification): void {
    const { events, sessionId } = this.options;
    switch (notification.method) {
      case "notifications/progress":
        return this.routeProgress(notification);
      case "notifications/message":
        return this.routeToSoleCall(notification);
      case "notifications/tools/list_changed":
        return events.listChanged?.("tools");
      case "notifications/prompts/list_changed":
        return events.listChanged?.("prompts");
      case "notifications/resources/list_changed":
        return events.listChanged?.("resources");
      case "notifications/resources/updated": {
        const uri = notification.params?.uri;
        if (typeof uri === "string") return events.resourceUpdated?.(uri);
        return this.protocolViolation("notifications/resources/updated without a uri");
      }
      default:
        return events.notification?.(notification, sessionId);
    }
  }

  private routeProgress(notification: JSONRPCNotification): void {
    const token = notification.params?.progressToken;
    const call = typeof token === "number" ? this.calls.get(token) : undefined;
    if (!call || call.callerProgressToken === undefined) {
      this.options.logger.debug({ upstream: this.options.upstream, token }, "progress for a request that already ended");
      return;
    }
    if (call.waitingOnClient === 0) this.armTimer(call);
    call.hooks.onNotification?.({ ...notification, params: { ...notification.params, progressToken: call.callerProgressToken } });
  }

  /** Logging is per request only by context: it belongs to a call only when exactly one is in flight. */
  private routeToSoleCall(notification: JSONRPCNotification): void {
    const call = this.soleCall();
    if (call?.hooks.onNotification) call.hooks.onNotification(notification);
    else this.options.events.notification?.(notification, this.options.sessionId);
  }

  private async answer(request: JSONRPCRequest): Promise<void> {
    const { upstream, logger, metrics } = this.options;
    if (request.method === "ping") return this.reply(request.id, { result: {} });
    const call = this.soleCall();
    const { sessionId, events } = this.options;
    // With no call in flight on a connection of one downstream session, the request is that session's.
    if (this.calls.size === 0 && sessionId !== undefined && sessionId !== CATALOG_SESSION_ID && events.request) {
      try {
        return await this.reply(request.id, { result: await events.request(request, sessionId) });
      } catch (err) {
        return await this.reply(request.id, { error: rpcErrorOf(err) });
      }
    }
    if (!call) {
      metrics.notificationsDropped.inc({ upstream, method: request.method });
      logger.warn({ upstream, method: request.method, inFlight: this.calls.size }, "cannot attribute a server-to-client request to one call; refused");
      return this.reply(request.id, {
        error: {
          code: INTERNAL_ERROR,
          message: `Sapper cannot tell which client ${request.method} is for: ${this.calls.size} requests are in flight on this connection, so it was refused`,
        },
      });
    }
    const { hooks } = call;
    if (!hooks.onRequest) {
      return this.reply(request.id, { error: { code: METHOD_NOT_FOUND, message: `the client of this request does not handle ${request.method}` } });
    }
    this.pauseTimer(call);
    try {
      const result = await hooks.onRequest(request);
      await this.reply(request.id, { result });
    } catch (err) {
      await this.reply(request.id, { error: rpcErrorOf(err) });
    } finally {
      this.resumeTimer(call);
    }
  }

  private async reply(id: RequestId, body: { result: Result } | { error: { code: number; message: string; data?: unknown } }): Promise<void> {
    try {
      await this.options.transport.send({ jsonrpc: "2.0", id, ...body } as JSONRPCMessage);
    } catch (err) {
      this.options.logger.warn({ upstream: this.options.upstream, reason: String(err) }, "could not answer a server-to-client request");
    }
  }

  private soleCall(): Call | undefined {
    if (this.calls.size !== 1) return undefined;
    return this.calls.values().next().value;
  }

  /** (Re)starts a call's timeout; the upstream's deadline sweep enforces it. */
  private armTimer(call: Call, ms = call.timeoutMs): void {
    call.deadline = Date.now() + ms;
    this.options.deadlines.watch(this);
  }

  private pauseTimer(call: Call): void {
    call.waitingOnClient++;
    call.deadline = Infinity;
  }

  private resumeTimer(call: Call): void {
    call.waitingOnClient--;
    if (call.waitingOnClient === 0 && this.calls.get(call.id) === call) this.armTimer(call);
  }

  /** Abandons every call past its deadline (the sweep calls this); returns whether calls remain. */
  expire(now: number): boolean {
    const { upstream } = this.options;
    // Settling deletes the visited entry, which the table's iteration allows.
    for (const call of this.calls.values()) {
      if (call.deadline > now) continue;
      this.abandon(
        call,
        `timed out after ${call.timeoutMs} ms`,
        upstreamFailure("timeout", upstream, `upstream "${upstream}" did not answer ${call.method} within ${call.timeoutMs} ms`),
      );
    }
    return this.calls.size > 0;
  }

  /** The caller of `call` aborted (its Call is the signal's listener). */
  callerAborted(call: Call): void {
    this.abandon(call, reasonText(call.hooks.signal?.reason), this.cancelledError(call.method));
  }

  /** Gives up on a call (timeout or caller abort): tells the upstream, then fails the caller. */
  private abandon(call: Call, reason: string, err: UpstreamError): void {
    if (this.calls.get(call.id) !== call) return;
    // The spec forbids cancelling initialize; the connection is closed instead when it fails.
    if (call.method !== "initialize" && this.state === "open") {
      const cancelled = { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: call.id, reason } } as JSONRPCNotification;
      this.options.transport.send(cancelled).catch((sendErr: unknown) => {
        const reason = maskSecrets(String(sendErr), this.options.secrets);
        this.options.logger.debug({ upstream: this.options.upstream, reason }, "could not send notifications/cancelled");
      });
    }
    this.settle(call, err);
    call.stream?.abort();
  }

  /** An HTTP response stream ended; a call it never answered will not be answered any more. */
  private streamEnded(call: Call): void {
    if (this.calls.get(call.id) !== call) return;
    const { upstream } = this.options;
    this.settle(
      call,
      upstreamFailure("transport", upstream, `upstream "${upstream}" closed the response stream of ${call.method} without answering`),
    );
  }

  private settle(call: Call, err: UpstreamError | undefined, result?: Result): void {
    this.calls.delete(call);
    call.hooks.signal?.removeEventListener("abort", call);
    if (err) call.reject(err);
    else call.resolve(result ?? {});
    this.options.onSlotFree();
  }

  private failAll(failure: (method: string) => UpstreamError): void {
    for (const call of [...this.calls.values()]) {
      this.settle(call, failure(call.method));
      call.stream?.abort();
    }
  }

  private cancelledError(method: string): UpstreamError {
    const { upstream } = this.options;
    return upstreamFailure("cancelled", upstream, `the client cancelled ${method} before upstream "${upstream}" answered`);
  }

  private transportError(error: Error): void {
    const { upstream, logger, metrics } = this.options;
    if (error instanceof InvalidMessageError || error instanceof SyntaxError || error.name === "ZodError") {
      metrics.upstreamErrors.inc({ upstream, kind: "protocol" });
      const excerpt = error instanceof InvalidMessageError ? error.excerpt : undefined;
      logger.warn(
        { upstream, excerpt: excerpt && maskSecrets(excerpt, this.options.secrets), reason: error.name },
        "upstream sent something that is not a JSON-RPC message; ignored",
      );
    } else {
      logger.warn({ upstream, reason: maskSecrets(error.message, this.options.secrets) }, "upstream transport reported an error");
    }
    this.options.onTransportError?.(error);
  }

  private protocolViolation(what: string): void {
    const { upstream, logger, metrics } = this.options;
    metrics.upstreamErrors.inc({ upstream, kind: "protocol" });
    logger.warn({ upstream }, `upstream sent ${what}; ignored`);
  }

  private transportClosed(): void {
    if (this.state === "closed") return;
    this.state = "closed";
    const { upstream } = this.options;
    const how = this.options.describeClose();
    this.failAll((method) => upstreamFailure("crashed", upstream, `upstream "${upstream}" ${how} while the request was in flight (${method})`));
    this.options.onLost();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function progressTokenOf(params: Params): ProgressToken | undefined {
  const meta = params?._meta;
  if (!isRecord(meta)) return undefined;
  const token = meta.progressToken;
  return typeof token === "string" || typeof token === "number" ? token : undefined;
}

function withProgressToken(params: Params, token: ProgressToken): Params {
  const meta = params?._meta;
  return { ...params, _meta: { ...(isRecord(meta) ? meta : {}), progressToken: token } };
}

function reasonText(reason: unknown): string {
  if (typeof reason === "string") return reason;
  if (reason instanceof Error && reason.name !== "AbortError") return reason.message;
  return "cancelled by the client";
}

/** The JSON-RPC error to send upstream when the client's handler failed. */
function rpcErrorOf(err: unknown): { code: number; message: string; data?: unknown } {
  if (err instanceof UpstreamError) return { code: err.rpcCode, message: err.message, data: err.data };
  if (isRecord(err) && typeof err.code === "number" && typeof err.message === "string") {
    return { code: err.code, message: err.message, data: err.data };
  }
  return { code: INTERNAL_ERROR, message: err instanceof Error ? err.message : String(err) };
}
