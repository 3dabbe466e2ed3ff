// The contract between the gateway and an upstream MCP server, whatever its transport.
import type { JSONRPCNotification, JSONRPCRequest, InitializeResult } from "@modelcontextprotocol/server";
import type { CancelSignal } from "../cancellation.js";
import type { Logger } from "../telemetry/logger.js";
import type { Metrics } from "../telemetry/metrics.js";

export type Result = Record<string, unknown>;

/** The gateway-internal session for its own calls (catalog lists); never a downstream session. */
export const CATALOG_SESSION_ID = "sapper:catalog";
export type Params = Record<string, unknown> | undefined;

/** A JSON-RPC error an upstream returned, or one Sapper made for a transport failure. */
export class UpstreamError extends Error {
  readonly rpcCode: number;
  readonly data: unknown;
  /** Set for Sapper-made errors (timeouts, crashes, overload); absent when the upstream itself answered with an error. */
  readonly kind: UpstreamFailureKind | undefined;

  constructor(rpcCode: number, message: string, data?: unknown, kind?: UpstreamFailureKind) {
    super(message);
    this.name = "UpstreamError";
    this.rpcCode = rpcCode;
    this.data = data;
    this.kind = kind;
  }
}

export type UpstreamFailureKind = "timeout" | "crashed" | "unavailable" | "overloaded" | "protocol" | "transport" | "cancelled";

/** Everything an upstream needs to route what belongs to one downstream request. */
export interface UpstreamCallContext {
  /**
   * The downstream session the call belongs to. HTTP upstreams keep one upstream session per value
   * ("sapper:catalog" is the gateway's own, opened by start()); a shared stdio pool ignores it.
   */
  sessionId: string;
  /** Aborting cancels the call: `notifications/cancelled` goes upstream and the promise rejects with kind "cancelled". */
  signal?: CancelSignal;
  /** Overrides the upstream's configured timeout. */
  timeoutMs?: number;
  /**
   * Notifications about this request: its progress (with the caller's own token restored) and log
   * messages, the latter only while this is the connection's sole request in flight.
   */
  onNotification?(notification: JSONRPCNotification): void;
  /**
   * Server→client requests (sampling, elicitation, roots/list) made while this is the connection's
   * sole request in flight; resolve with the client's result, or throw (an error with a numeric
   * `code` keeps it). With zero or several requests in flight they are refused upstream instead.
   */
  onRequest?(request: JSONRPCRequest): Promise<Result>;
}

/** Events an upstream emits that belong to no single request. */
export interface UpstreamEvents {
  /** `notifications/{tools,prompts,resources}/list_changed` */
  listChanged(kind: "tools" | "prompts" | "resources"): void;
  /** `notifications/resources/updated` */
  resourceUpdated(uri: string): void;
  /**
   * Any other notification not tied to a request (including log messages that could not be attributed),
   * with the downstream session it belongs to: known for HTTP upstreams (possibly "sapper:catalog"),
   * undefined for a shared stdio pool.
   */
  notification(notification: JSONRPCNotification, sessionId: string | undefined): void;
  /**
   * A server→client request made while no call is in flight on a connection that belongs to one
   * downstream session (HTTP upstreams): resolve with that session's client's result.
   */
  request(request: JSONRPCRequest, sessionId: string): Promise<Result>;
  /** Readiness changed (connected and initialized, or down). */
  stateChanged(ready: boolean): void;
}

export interface Upstream {
  readonly name: string;
  /** Connects and initializes; rejects with SAPPER_UPSTREAM_START_FAILED if the first start fails. */
  start(): Promise<void>;
  readonly ready: boolean;
  /** The upstream's answer to `initialize` (capabilities, serverInfo, instructions); set once ready. */
  readonly initializeResult: InitializeResult | undefined;
  /** Sends a request and resolves with its result; rejects with UpstreamError. Requests queue (bounded) while the upstream restarts. */
  request(method: string, params: Params, ctx: UpstreamCallContext): Promise<Result>;
  /**
   * Sends a notification (e.g. `notifications/roots/list_changed`) on behalf of a session: to its
   * upstream session if one is open (HTTP), to every process of a shared stdio pool.
   */
  notify(method: string, params: Params, sessionId: string): Promise<void>;
  /** Releases per-session upstream state (an HTTP session is ended with DELETE; an SSE stream is closed). */
  closeSession(sessionId: string): Promise<void>;
  close(): Promise<void>;
}

export type UpstreamEventSink = Partial<UpstreamEvents>;

/** What the server assembly gives every upstream implementation. */
export interface UpstreamDeps {
  /** Every line an upstream logs carries the `upstream` key itself, so pass the logger without that binding. */
  logger: Logger;
  metrics: Metrics;
  events: UpstreamEventSink;
}
