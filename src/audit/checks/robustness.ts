// Robustness checks: malformed JSON, a message that is not JSON-RPC, and an oversized body must each
// get a prompt refusal (a JSON-RPC error or 413), never a 500, an acceptance or a hang.
import type { AuditCheck, AuditContext, CheckOutcome } from "../audit-check.js";
import type { ProbeResponse } from "../http-probe.js";
import { findRpcAnswer, type RpcError } from "../mcp-session.js";
import { MODERN_PROTOCOL_VERSION } from "../modern-session.js";
import { StreamableSession } from "../streamable-session.js";

const HANG_TIMEOUT_MS = 10_000;

/** How long a malformed request may go unanswered before it counts as a hang. */
function hangTimeout(ctx: AuditContext): number {
  return Math.min(HANG_TIMEOUT_MS, ctx.options.requestTimeoutMs);
}

type Poster = (body: string, timeoutMs: number) => Promise<ProbeResponse>;

async function rawPoster(ctx: AuditContext): Promise<Poster | string> {
  const d = ctx.discovery;
  if (d.verdict === "auth-required") return "needs an accepted token: pass --token or --token-env";
  if (d.verdict === "legacy-sse") return "applies to Streamable HTTP; the endpoint speaks only legacy SSE";
  if (d.verdict === "streamable-http-modern") {
    const session = new StreamableSession(ctx.probe, d.url, { token: ctx.token, protocolVersion: MODERN_PROTOCOL_VERSION });
    return (body, timeoutMs) => session.postRaw(body, { timeoutMs });
  }
  if (d.verdict !== "streamable-http") return "the endpoint could not be reached over MCP (see transport checks)";
  const session = ctx.openSession({ token: ctx.token, record: false });
  await session.initialize();
  if (!session.initializeResult) return "could not open a session to send the probe in";
  const poster = new StreamableSession(ctx.probe, d.url, { token: ctx.token, sessionId: session.sessionId, protocolVersion: session.protocolVersion });
  return (body, timeoutMs) => poster.postRaw(body, { timeoutMs });
}

/** The JSON-RPC error in an answer to a request whose id could not be read (id null) or is `id`. */
function rpcError(response: ProbeResponse, id: string | number | null): RpcError | undefined {
  const contentType = response.headers["content-type"] ?? "";
  for (const candidate of id === null ? [null] : [id, null]) {
    const answer = findRpcAnswer(candidate as string | number, response.body, response.events, contentType);
    if (answer?.error) return answer.error;
  }
  return undefined;
}

function judgeError(response: ProbeResponse, id: string | number | null, expectedCode: number, what: string): CheckOutcome {
  if (response.status === undefined) {
    return { status: "fail", summary: `${what}: no answer (${response.error})`, data: { ms: response.ms } };
  }
  const data: Record<string, number | string> = { status: response.status, ms: response.ms };
  if (response.status >= 500) return { status: "fail", summary: `${what} caused HTTP ${response.status}`, data };
  const error = rpcError(response, id);
  if (error) {
    data.rpcCode = error.code;
    if (error.code === expectedCode) return { status: "pass", summary: `${what}: HTTP ${response.status} with JSON-RPC error ${error.code} (${error.message})`, data };
    return { status: "warn", summary: `${what}: JSON-RPC error ${error.code}, where ${expectedCode} is expected`, data };
  }
  if (response.status >= 400) return { status: "warn", summary: `${what}: refused with HTTP ${response.status}, but without a JSON-RPC error body`, data };
  return { status: "fail", summary: `${what}: HTTP ${response.status} without any error`, data };
}

export const malformedJson: AuditCheck = {
  meta: {
    id: "robustness.malformed-json",
    family: "robustness",
    title: "Malformed JSON gets a parse error",
    severity: "medium",
    checklist: [10],
    description: "A truncated JSON body is answered promptly with a JSON-RPC Parse error (-32700), not a 500 or a hang.",
    fix: "Parse request bodies defensively and answer invalid JSON with HTTP 400 and {\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,…}}.",
  },
  async run(ctx): Promise<CheckOutcome> {
    const poster = await rawPoster(ctx);
    if (typeof poster === "string") return { status: "skip", summary: poster };
    const response = await poster('{"jsonrpc":"2.0","id":1,"method":"ping"', hangTimeout(ctx));
    return judgeError(response, null, -32700, "a truncated JSON body");
  },
};

export const invalidRequest: AuditCheck = {
  meta: {
    id: "robustness.invalid-request",
    family: "robustness",
    title: "Invalid JSON-RPC gets an error",
    severity: "low",
    checklist: [10],
    description: "Valid JSON that is not a JSON-RPC request (no method) is answered with a JSON-RPC Invalid Request error (-32600).",
    fix: "Validate every message against the JSON-RPC 2.0 shape and answer -32600 Invalid Request instead of crashing or ignoring it.",
  },
  async run(ctx): Promise<CheckOutcome> {
    const poster = await rawPoster(ctx);
    if (typeof poster === "string") return { status: "skip", summary: poster };
    const response = await poster('{"jsonrpc":"2.0","id":"sapper-audit-invalid","params":{}}', hangTimeout(ctx));
    return judgeError(response, "sapper-audit-invalid", -32600, "a message without a method");
  },
};

export const oversizedBody: AuditCheck = {
  meta: {
    id: "robustness.oversized-body",
    family: "robustness",
    title: "Oversized body refused",
    severity: "medium",
    checklist: [11],
    description: "A syntactically valid ping padded to several MiB is refused (413, or the connection closed), not processed.",
    fix: "Limit request bodies (a few MiB at most) and answer 413 Payload Too Large before reading the rest; `sapper serve` has server.maxBodyBytes.",
  },
  async run(ctx): Promise<CheckOutcome> {
    const poster = await rawPoster(ctx);
    if (typeof poster === "string") return { status: "skip", summary: poster };
    const size = ctx.options.oversizedBodyBytes;
    const head = '{"jsonrpc":"2.0","id":"sapper-audit-oversized","method":"ping","params":{"_meta":{"padding":"';
    const tail = '"}}}';
    const body = head + "x".repeat(Math.max(0, size - head.length - tail.length)) + tail;
    const response = await poster(body, Math.max(ctx.options.requestTimeoutMs, 30_000));
    const mib = (size / 1024 / 1024).toFixed(1);
    const data: Record<string, number | string> = { bytes: size, ms: response.ms };
    if (response.status !== undefined) data.status = response.status;
    if (response.status === 413) return { status: "pass", summary: `a ${mib} MiB body was refused with 413`, data };
    if (response.status === undefined) {
      if (/closed|reset|EPIPE/i.test(response.error ?? "")) return { status: "pass", summary: `a ${mib} MiB body was refused: ${response.error}`, data };
      return { status: "fail", summary: `a ${mib} MiB body got no answer (${response.error})`, data };
    }
    if (response.status >= 500) return { status: "fail", summary: `a ${mib} MiB body caused HTTP ${response.status}`, data };
    const answer = findRpcAnswer("sapper-audit-oversized", response.body, response.events, response.headers["content-type"] ?? "");
    if (answer?.result !== undefined) return { status: "fail", summary: `a ${mib} MiB body was accepted and processed (HTTP ${response.status})`, data };
    if (response.status >= 400) return { status: "warn", summary: `a ${mib} MiB body was refused with HTTP ${response.status}; 413 is the status that tells clients why`, data };
    return { status: "fail", summary: `a ${mib} MiB body was accepted (HTTP ${response.status})`, data };
  },
};

export const robustnessChecks: AuditCheck[] = [malformedJson, invalidRequest, oversizedBody];
