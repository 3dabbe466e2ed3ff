// Session checks (sessionful Streamable HTTP): unknown ids get 404, ids are unguessable, and an id
// is useless to any principal but the one that created it.
import { randomBytes } from "node:crypto";
import type { AuditCheck, CheckOutcome, AuditContext } from "../audit-check.js";
import { maskSessionId } from "../redactor.js";
import { estimateSessionIdEntropy } from "../session-entropy.js";
import { StreamableSession } from "../streamable-session.js";

const MIN_BITS_PASS = 120;
const MIN_BITS_WARN = 64;

function precondition(ctx: AuditContext): string | undefined {
  const d = ctx.discovery;
  if (d.verdict === "auth-required") return "needs an accepted token: pass --token or --token-env";
  if (d.verdict === "legacy-sse") return "applies to Streamable HTTP sessions; the endpoint speaks only legacy SSE";
  if (d.verdict === "streamable-http-modern") return "the server speaks only the stateless 2026 revision, which has no session ids";
  if (d.verdict !== "streamable-http") return "the endpoint could not be reached over MCP (see transport checks)";
  if (!d.sessionful) return "the server issues no Mcp-Session-Id (stateless), so there is no session to guess or steal";
  return undefined;
}

export const unknownId: AuditCheck = {
  meta: {
    id: "session.unknown-id",
    family: "session",
    title: "Unknown session id gets 404",
    severity: "medium",
    checklist: [9],
    description: "A request with a session id the server never issued is answered 404, so clients know to start a new session.",
    fix: "Answer 404 Not Found to requests whose Mcp-Session-Id is unknown or expired (the spec requires it; 400 leaves clients stuck).",
  },
  async run(ctx): Promise<CheckOutcome> {
    const skip = precondition(ctx);
    if (skip) return { status: "skip", summary: skip };
    const fake = randomBytes(16).toString("hex");
    const protocolVersion = ctx.discovery.initialize?.protocolVersion;
    const session = new StreamableSession(ctx.probe, ctx.discovery.url, { token: ctx.token, sessionId: fake, protocolVersion });
    const outcome = await session.request("ping");
    const status = outcome.response.status;
    const data = { status: status ?? 0 };
    if (status === 404) return { status: "pass", summary: "a made-up session id was answered 404", data };
    if (outcome.result !== undefined) return { status: "fail", summary: `a made-up session id was accepted (HTTP ${status}): sessions are not checked`, data };
    if (status === undefined) return { status: "fail", summary: `no answer to a made-up session id: ${outcome.response.error}`, data };
    return { status: "fail", summary: `a made-up session id was answered HTTP ${status}, not 404: clients will not know to re-initialize`, data };
  },
};

export const idEntropy: AuditCheck = {
  meta: {
    id: "session.id-entropy",
    family: "session",
    title: "Session ids unguessable",
    severity: "high",
    checklist: [8],
    description: "Session ids sampled from several new sessions are distinct and carry at least ~120 random bits.",
    fix: "Generate session ids from a cryptographic random source (crypto.randomUUID() or 16+ random bytes), never counters or timestamps.",
  },
  async run(ctx): Promise<CheckOutcome> {
    const skip = precondition(ctx);
    if (skip) return { status: "skip", summary: skip };
    const ids: string[] = [];
    for (let i = 0; i < ctx.options.sessionSamples; i++) {
      const session = ctx.openSession({ token: ctx.token, record: i < 2 });
      await session.initialize();
      if (session.sessionId) ids.push(session.sessionId);
      if (ctx.signal.aborted) break;
    }
    if (ids.length < 2) return { status: "fail", summary: `only ${ids.length} of ${ctx.options.sessionSamples} new sessions returned an Mcp-Session-Id`, data: { samples: ids.length } };
    const estimate = estimateSessionIdEntropy(ids);
    const data = { samples: ids.map(maskSessionId), format: estimate.format, estimatedBits: estimate.bits };
    const summary = `${ids.length} session ids (${estimate.format}): about ${estimate.bits} random bits${estimate.reason ? `; ${estimate.reason}` : ""}`;
    if (estimate.bits >= MIN_BITS_PASS) return { status: "pass", summary, data };
    if (estimate.bits >= MIN_BITS_WARN) return { status: "warn", summary, data };
    return { status: "fail", summary, data };
  },
};

export const principalBinding: AuditCheck = {
  meta: {
    id: "session.principal-binding",
    family: "session",
    title: "Session bound to its principal",
    severity: "critical",
    checklist: [8],
    description: "A session id created with one token is refused (404) when presented with another principal's token.",
    fix: "Store the principal with the session and answer a mismatch exactly like an unknown session (404); a session id must never work as an authentication.",
  },
  async run(ctx): Promise<CheckOutcome> {
    const skip = precondition(ctx);
    if (skip) return { status: "skip", summary: skip };
    const [first, second] = ctx.options.tokens;
    if (!first || !second) return { status: "skip", summary: "needs two tokens of different principals: give --token (or --token-env) twice" };
    const other = ctx.openSession({ token: second });
    await other.initialize();
    if (!other.initializeResult) return { status: "skip", summary: "the second token is not accepted on its own, so the test would prove nothing" };
    const owner = ctx.openSession({ token: first });
    await owner.initialize();
    if (!owner.sessionId) return { status: "fail", summary: "the first token's session returned no Mcp-Session-Id" };
    const thief = new StreamableSession(ctx.probe, ctx.discovery.url, {
      token: second,
      sessionId: owner.sessionId,
      protocolVersion: owner.protocolVersion,
    });
    const outcome = await thief.request("tools/list");
    const status = outcome.response.status;
    const data = { status: status ?? 0 };
    if (outcome.result !== undefined) return { status: "fail", summary: `the second principal used the first principal's session (HTTP ${status}): sessions are not bound to principals`, data };
    if (status === 404) return { status: "pass", summary: "the first principal's session id, presented with the second token, was answered 404", data };
    if (status === 401 || status === 403) return { status: "pass", summary: `the first principal's session id, presented with the second token, was refused (HTTP ${status})`, data };
    return { status: "warn", summary: `the cross-principal request got HTTP ${status ?? outcome.response.error}, neither a result nor a refusal`, data };
  },
};

export const sessionChecks: AuditCheck[] = [unknownId, idEntropy, principalBinding];
