// The contract between the gateway and an upstream MCP server, whatever its transport.
import type { JSONRPCNotification, JSONRPCRequest, InitializeResult } from "@modelcontextprotocol/server";
import type { Logger } from "../telemetry/logger.js";
import type { Metrics } from "../telemetry/metrics.js";

export type Result = Record<string, unknown>;
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
  /** The downstream session the call belongs to (routing key; per-session upstream state). */
  sessionId: string;
  /** Aborting cancels the call: `notifications/cancelled` goes upstream and the promise rejects with kind "cancelled". */
  signal?: AbortSignal;
  /** Overrides the upstream's configured timeout. */
  timeoutMs?: number;
  /** Notifications the upstream sends about this request (progress with the caller's own token restored, logging). */
  onNotification?: (notification: JSONRPCNotification) => void;
  /** Server→client requests made while this request runs (sampling, elicitation, roots/list); resolve with the client's result. */
  onRequest?: (request: JSONRPCRequest) => Promise<Result>;
}

/** Events an upstream emits that belong to no single request. */
export interface UpstreamEvents {
  /** `notifications/{tools,prompts,resources}/list_changed` */
  listChanged(kind: "tools" | "prompts" | "resources"): void;
  /** `notifications/resources/updated` */
  resourceUpdated(uri: string): void;
  /** Any other notification not tied to a request, with the session it belongs to when known. */
  notification(notification: JSONRPCNotification, sessionId: string | undefined): void;
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
  /** Sends a notification (e.g. `notifications/roots/list_changed`) on behalf of a session. */
  notify(method: string, params: Params, sessionId: string): Promise<void>;
  /** Releases per-session upstream state (e.g. an upstream HTTP session). */
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
