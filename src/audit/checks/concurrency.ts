// Concurrency: K clients at once, each doing initialize + tools/list + one harmless call, must all
// succeed in reasonable time. Reports the failure rate and request latency percentiles.
import type { AuditCheck, CheckOutcome, AuditContext } from "../audit-check.js";
import { canTalk } from "../discovery.js";
import type { ProbeResponse } from "../http-probe.js";
import type { McpSession, RpcOutcome } from "../mcp-session.js";

const SLOW_P99_MS = 5_000;
const TOLERATED_FAILURE_RATE = 0.05;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

function harmlessCall(ctx: AuditContext, session: McpSession): Promise<RpcOutcome> {
  if (ctx.options.call) return session.request("tools/call", { name: ctx.options.call.tool, arguments: ctx.options.call.args }, { record: false });
  if (ctx.discovery.verdict === "streamable-http-modern") return session.request("tools/list", undefined, { record: false });
  return session.request("ping", undefined, { record: false });
}

export const sessions: AuditCheck = {
  meta: {
    id: "concurrency.sessions",
    family: "concurrency",
    title: "Concurrent sessions",
    severity: "high",
    checklist: [13],
    description: "K concurrent clients (--concurrency, default 20) each complete initialize, tools/list and a harmless call (ping, or the --call tool).",
    fix: "Remove per-process bottlenecks (one shared stdio child, global locks), queue with back-pressure instead of failing, and scale out with replicas that share session state instead of sticky sessions.",
  },
  weight: "load",
  async run(ctx): Promise<CheckOutcome> {
    const d = ctx.discovery;
    if (d.verdict === "auth-required") return { status: "skip", summary: "needs an accepted token: pass --token or --token-env" };
    if (!canTalk(d)) return { status: "skip", summary: "the endpoint could not be reached over MCP (see transport checks)" };
    const k = ctx.options.concurrency;
    const latencies: number[] = [];
    let failedSessions = 0;
    let failedRequests = 0;
    let limited = 0;
    let requests = 0;
    let firstFailure: { what: string; response: ProbeResponse } | undefined;
    const started = Date.now();

    const step = async (what: string, run: () => Promise<RpcOutcome>): Promise<boolean> => {
      requests++;
      const outcome = await run();
      latencies.push(outcome.response.ms);
      if (outcome.result !== undefined) return true;
      if (outcome.response.status === 429) limited++;
      else failedRequests++;
      firstFailure ??= { what, response: outcome.response };
      return false;
    };

    await Promise.all(
      Array.from({ length: k }, async () => {
        const session = ctx.openSession({ token: ctx.token, record: false });
        const ok =
          (await step("initialize", () => session.initialize())) &&
          (await step("tools/list", () => session.request("tools/list", undefined, { record: false }))) &&
          (await step(ctx.options.call ? `tools/call ${ctx.options.call.tool}` : "ping", () => harmlessCall(ctx, session)));
        if (!ok) failedSessions++;
      }),
    );
    const totalMs = Date.now() - started;
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const failureRate = k === 0 ? 0 : failedSessions / k;
    const data = { sessions: k, failedSessions, requests, failedRequests, rateLimited: limited, p50Ms: p50, p99Ms: p99, totalMs };
    if (firstFailure) {
      const f: { what: string; response: ProbeResponse } = firstFailure;
      ctx.probe.keep({ method: "POST", url: d.url, body: `(${f.what})` }, f.response);
    }
    const stats = `${k - failedSessions}/${k} sessions complete, ${requests} requests, p50 ${p50} ms, p99 ${p99} ms`;
    if (failedRequests === 0 && limited > 0) return { status: "warn", summary: `${stats}; ${limited} requests rate-limited (429) under normal concurrency`, data };
    if (failedSessions === 0) {
      if (p99 > SLOW_P99_MS) return { status: "warn", summary: `${stats}: slow under ${k} concurrent sessions`, data };
      return { status: "pass", summary: stats, data };
    }
    const reason = firstFailure ? `; first failure: ${firstFailure.what} → ${firstFailure.response.status ?? firstFailure.response.error}` : "";
    if (failureRate <= TOLERATED_FAILURE_RATE) return { status: "warn", summary: `${stats}${reason}`, data };
    return { status: "fail", summary: `${stats} (${Math.round(failureRate * 100)}% failed)${reason}`, data };
  },
};

export const concurrencyChecks: AuditCheck[] = [sessions];
