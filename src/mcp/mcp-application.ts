// The contract between the downstream protocol (src/mcp) and what answers it (src/gateway).
// The protocol layer owns HTTP, sessions and streams; the application owns MCP semantics.
import type {
  InitializeRequestParams,
  InitializeResult,
  JSONRPCNotification,
  JSONRPCRequest,
} from "@modelcontextprotocol/server";
import type { CancelSignal } from "../cancellation.js";
import type { SessionRecord } from "../session/session-store.js";

export type Result = Record<string, unknown>;

export interface RequestContext {
  session: SessionRecord;
  /** Aborted when the client cancels, the request times out or the gateway shuts down. */
  signal: CancelSignal;
  /** Sends a notification related to this request (progress, logging) on the request's stream. */
  notify(notification: JSONRPCNotification): void;
  /** Sends a server→client request related to this request; resolves with the client's result or rejects with RpcError. */
  request(method: string, params?: Record<string, unknown>): Promise<Result>;
}

export interface McpApplication {
  /** Everything of the initialize result except protocolVersion, which the protocol layer negotiates. */
  initialize(params: InitializeRequestParams): Omit<InitializeResult, "protocolVersion">;
  /** Answers one request; throws RpcError for JSON-RPC errors. */
  handleRequest(request: JSONRPCRequest, ctx: RequestContext): Promise<Result>;
  handleNotification(notification: JSONRPCNotification, session: SessionRecord): Promise<void>;
  /** The session ended (DELETE, expiry or shutdown): release what belongs to it. */
  sessionClosed(session: SessionRecord): Promise<void>;
}

/** How the application reaches clients outside a request. */
export interface SessionMessenger {
  /** Delivers a notification to one session's standalone (GET) stream. */
  sendToSession(sessionId: string, notification: JSONRPCNotification): void;
  /** Delivers a notification to every open session (list_changed). */
  broadcast(notification: JSONRPCNotification): void;
  /** Sends a server→client request outside any client request, on the session's stream; resolves with the client's result. */
  request(sessionId: string, method: string, params?: Record<string, unknown>): Promise<Result>;
}
