// The contract of a remote check: metadata, an optional time budget, and a `run` that sees the
// discovery, a probe that records its evidence, and a way to open sessions the runner cleans up.
import type { CheckMeta, EvidenceValue, ExchangeEvidence, Status } from "./check.js";
import type { Discovery } from "./discovery.js";
import type { HttpProbe } from "./http-probe.js";
import type { McpSession } from "./mcp-session.js";

export interface AuditOptions {
  url: URL;
  /** Bearer tokens: the first is used for every authenticated request, the second as another principal. */
  tokens: string[];
  /** Extra headers on every request (values are treated as secrets). */
  headers: Record<string, string>;
  /** Requests in the rate-limit burst. */
  burst: number;
  /** Concurrent sessions in the concurrency check. */
  concurrency: number;
  /** Sessions opened to sample session ids. */
  sessionSamples: number;
  /** Hosts (besides loopback) the burst may be sent to. */
  allowHosts: string[];
  /** The one tool call the user allowed, used as the harmless call of the concurrency check. */
  call: { tool: string; args: Record<string, unknown> } | undefined;
  requestTimeoutMs: number;
  /** Time budget of an ordinary check; the load checks get four times as much. */
  checkTimeoutMs: number;
  /** Size of the body sent by the oversized-body check. */
  oversizedBodyBytes: number;
  /** Ceiling on the number of HTTP requests of the whole audit. */
  maxRequests: number;
}

export const AUDIT_LIMITS = {
  burst: { default: 50, max: 500 },
  concurrency: { default: 20, max: 100 },
  sessionSamples: { default: 5, max: 20 },
  requestTimeoutMs: { default: 10_000, max: 120_000 },
  checkTimeoutMs: { default: 30_000, max: 600_000 },
  oversizedBodyBytes: 8 * 1024 * 1024,
  maxRequests: 5_000,
} as const;

export interface CheckOutcome {
  status: Status;
  summary: string;
  data?: Record<string, EvidenceValue>;
  /** Evidence recorded elsewhere (the discovery), instead of this check's own exchanges. */
  exchanges?: ExchangeEvidence[];
}

export interface AuditContext {
  options: AuditOptions;
  discovery: Discovery;
  /** Records this check's exchanges as its evidence. */
  probe: HttpProbe;
  signal: AbortSignal;
  /** The first token, if any: the principal of ordinary requests. */
  token: string | undefined;
  /** A new, uninitialized session of the discovered kind; the runner closes it after the check. */
  openSession(options?: { token?: string | undefined; headers?: Record<string, string>; record?: boolean; url?: URL }): McpSession;
  /** A value computed once per audit and shared between checks (e.g. the tool list). */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export interface AuditCheck {
  meta: CheckMeta;
  /** "load" checks (burst, concurrency) get a larger time budget. */
  weight?: "normal" | "load";
  run(ctx: AuditContext): Promise<CheckOutcome>;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "::ffff:127.0.0.1";
}
