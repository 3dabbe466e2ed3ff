// Builds the UpstreamError for a failure Sapper detected itself (timeout, crash, overload...), with a
// stable SAPPER_* code in the message and in `data`, so callers and logs can tell the cases apart.
import type { ErrorCode } from "../errors.js";
import { UpstreamError, type UpstreamFailureKind } from "./upstream.js";

/**
 * JSON-RPC codes for Sapper-made upstream failures, aligned with the downstream table in
 * src/mcp/rpc-error.ts: a timeout is -32003, every other upstream failure is -32002 and
 * `data.code` says which one it was.
 */
export const UPSTREAM_FAILURE_RPC_CODE = -32002;
export const UPSTREAM_TIMEOUT_RPC_CODE = -32003;

const DEFAULT_CODES: Record<UpstreamFailureKind, ErrorCode> = {
  timeout: "SAPPER_UPSTREAM_TIMEOUT",
  crashed: "SAPPER_UPSTREAM_CRASHED",
  unavailable: "SAPPER_UPSTREAM_UNAVAILABLE",
  overloaded: "SAPPER_UPSTREAM_OVERLOADED",
  protocol: "SAPPER_UPSTREAM_PROTOCOL",
  transport: "SAPPER_UPSTREAM_TRANSPORT",
  cancelled: "SAPPER_UPSTREAM_CANCELLED",
};

/** What `UpstreamError.data` holds for a Sapper-made failure. */
export interface UpstreamFailureData {
  code: ErrorCode;
  kind: UpstreamFailureKind;
  upstream: string;
  /** The HTTP status the upstream answered with, for HTTP transports. */
  httpStatus?: number;
}

export function upstreamFailure(
  kind: UpstreamFailureKind,
  upstream: string,
  message: string,
  extra: { httpStatus?: number; code?: ErrorCode } = {},
): UpstreamError {
  const code = extra.code ?? DEFAULT_CODES[kind];
  const data: UpstreamFailureData = { code, kind, upstream };
  if (extra.httpStatus !== undefined) data.httpStatus = extra.httpStatus;
  const rpcCode = kind === "timeout" ? UPSTREAM_TIMEOUT_RPC_CODE : UPSTREAM_FAILURE_RPC_CODE;
  return new UpstreamError(rpcCode, `${code}: ${message}`, data, kind);
}

/** The HTTP status carried by a Sapper-made failure, if any. */
export function failureHttpStatus(err: unknown): number | undefined {
  if (!(err instanceof UpstreamError) || err.kind === undefined) return undefined;
  const data = err.data as Partial<UpstreamFailureData> | undefined;
  return typeof data?.httpStatus === "number" ? data.httpStatus : undefined;
}

/** An error's message without a leading SAPPER_* code, for embedding it in another error's sentence. */
export function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^SAPPER_[A-Z_]+: /, "");
}
