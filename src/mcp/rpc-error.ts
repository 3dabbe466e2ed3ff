// A JSON-RPC error to answer a caller with, and the HTTP-level protocol errors of Streamable HTTP.
import type { JSONRPCErrorResponse, RequestId } from "@modelcontextprotocol/server";

export const RpcCodes = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** Transport-level problems (headers, sizes, sessions), as the SDK's transports answer them. */
  badRequest: -32000,
  sessionNotFound: -32001,
  /** Upstream failures Sapper reports (timeouts, crashes, overload, unavailability). */
  upstreamError: -32002,
  requestTimeout: -32003,
  toolBlocked: -32004,
  /** The client cancelled the request (the client ignores this answer; it ends the HTTP exchange). */
  cancelled: -32800,
} as const;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "RpcError";
  }

  toResponse(id: RequestId | null): JSONRPCErrorResponse {
    const error: { code: number; message: string; data?: unknown } = { code: this.code, message: this.message };
    if (this.data !== undefined) error.data = this.data;
    return { jsonrpc: "2.0", id: id as RequestId, error };
  }
}

/** An error that ends an HTTP request before any JSON-RPC processing, with its status code. */
export class HttpProtocolError extends RpcError {
  constructor(
    readonly status: number,
    code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message);
    this.name = "HttpProtocolError";
  }
}
