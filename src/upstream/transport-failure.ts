// Classifies what a transport's send() threw (HTTP status, refused connection, closed pipe) so the
// caller gets an UpstreamError that names the upstream and the HTTP status.
import { SdkError, SdkHttpError, SseError } from "@modelcontextprotocol/client";
import { maskSecrets } from "./secret-mask.js";
import type { UpstreamError } from "./upstream.js";
import { upstreamFailure } from "./upstream-failure.js";

/** Statuses that mean "try again later" rather than "this exchange is wrong". */
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/** `secrets` are masked in what the upstream answered, in case it echoes a credential header back. */
export function transportFailure(upstream: string, method: string, err: unknown, secrets: readonly string[] = []): UpstreamError {
  const status = httpStatusOf(err);
  if (status !== undefined) {
    const kind = UNAVAILABLE_STATUSES.has(status) ? "unavailable" : "transport";
    return upstreamFailure(kind, upstream, `upstream "${upstream}" answered ${method} with HTTP ${status}${detailOf(err, secrets)}`, {
      httpStatus: status,
    });
  }
  if (SdkError.isInstance(err) && err.code === "NOT_CONNECTED") {
    return upstreamFailure("unavailable", upstream, `upstream "${upstream}" is not connected; ${method} was not sent`);
  }
  const network = networkCodeOf(err);
  if (network !== undefined) {
    return upstreamFailure("unavailable", upstream, `upstream "${upstream}" is unreachable (${network}) for ${method}`);
  }
  return upstreamFailure("transport", upstream, `sending ${method} to upstream "${upstream}" failed: ${maskSecrets(messageOf(err), secrets)}`);
}

function httpStatusOf(err: unknown): number | undefined {
  if (SdkHttpError.isInstance(err)) return err.status;
  if (SseError.isInstance(err) && err.code !== undefined) return err.code;
  // SSEClientTransport reports POST failures as plain Errors: "Error POSTing to endpoint (HTTP 404): ...".
  const match = err instanceof Error ? /\(HTTP (\d{3})\)/.exec(err.message) : null;
  return match ? Number(match[1]) : undefined;
}

const NETWORK_ERROR = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|EPIPE)\b/;

/**
 * fetch() rejects with a TypeError whose cause carries the socket error code; EventSource failures
 * (SSE) keep only the text, so the message is searched as well.
 */
function networkCodeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string" && NETWORK_ERROR.test(code)) return code;
    const inText = NETWORK_ERROR.exec(e.message);
    if (inText) return inText[1];
  }
  return undefined;
}

/** The upstream's own error text, masked and then shortened (so no credential is cut in half and kept). */
function detailOf(err: unknown, secrets: readonly string[]): string {
  const text = SdkHttpError.isInstance(err) ? err.data.text : undefined;
  const detail = typeof text === "string" ? maskSecrets(text.trim(), secrets) : "";
  return detail ? `: ${detail.slice(0, 200)}` : "";
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
