// Rate limiting: a short, bounded burst of harmless requests must meet a 429 with Retry-After. The
// burst is sent only to loopback hosts or hosts the user named with --allow-host.
import { isLoopbackHost, type AuditCheck, type CheckOutcome, type AuditContext } from "../audit-check.js";
import { canTalk } from "../discovery.js";
import type { ProbeResponse } from "../http-probe.js";
import { initializeParams } from "../mcp-session.js";

const MAX_IN_FLIGHT = 50;

/** Runs `count` tasks with at most `width` in flight; stops starting new ones once aborted. */
export async function runBounded(count: number, width: number, signal: AbortSignal, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count && !signal.aborted) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
}

export function burstAllowed(ctx: AuditContext): boolean {
  const host = ctx.options.url.hostname.toLowerCase();
  return isLoopbackHost(host) || ctx.options.allowHosts.some((h) => h.toLowerCase() === host);
}

export const burst: AuditCheck = {
  meta: {
    id: "ratelimit.burst",
    family: "ratelimit",
    title: "Rate limiting",
    severity: "high",
    checklist: [12],
    description: "A bounded burst of harmless requests (--burst, default 50) meets at least one 429 with Retry-After.",
    fix: "Rate-limit per principal (and per tenant and tool), in the server or the gateway in front of it, and answer 429 with Retry-After.",
  },
  weight: "load",
  async run(ctx): Promise<CheckOutcome> {
    if (!burstAllowed(ctx)) {
      return { status: "skip", summary: `not sent: ${ctx.options.url.hostname} is not a loopback host; add --allow-host ${ctx.options.url.hostname} if you own it` };
    }
    const d = ctx.discovery;
    let send: () => Promise<ProbeResponse>;
    let what: string;
    if (d.verdict === "auth-required") {
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: initializeParams("2025-11-25") });
      const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
      send = () => ctx.probe.send({ method: "POST", url: d.url, headers, body, record: false });
      what = "unauthenticated initialize requests";
    } else if (canTalk(d)) {
      const session = ctx.openSession({ token: ctx.token, record: false });
      await session.initialize();
      if (!session.initializeResult) return { status: "skip", summary: "could not open a session to send the burst in" };
      const method = d.verdict === "streamable-http-modern" ? "tools/list" : "ping";
      send = async () => (await session.request(method, undefined, { record: false })).response;
      what = `${method} requests in one session`;
    } else {
      return { status: "skip", summary: "the endpoint could not be reached over MCP (see transport checks)" };
    }

    const statuses = new Map<string, number>();
    let first429: ProbeResponse | undefined;
    const started = Date.now();
    await runBounded(ctx.options.burst, MAX_IN_FLIGHT, ctx.signal, async () => {
      const r = await send();
      const key = r.status === undefined ? "no answer" : String(r.status);
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      if (r.status === 429 && !first429) first429 = r;
    });
    const ms = Date.now() - started;
    const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
    const histogram = [...statuses.entries()].map(([k, v]) => `${k}: ${v}`);
    const data: Record<string, number | string[]> = { sent, ms, statuses: histogram, limited: statuses.get("429") ?? 0 };
    if (first429) {
      ctx.probe.keep({ method: "POST", url: d.url }, first429);
      const retryAfter = first429.headers["retry-after"];
      if (!retryAfter) return { status: "warn", summary: `${statuses.get("429")} of ${sent} ${what} got 429, but without Retry-After`, data };
      return { status: "pass", summary: `${statuses.get("429")} of ${sent} ${what} got 429 (Retry-After: ${retryAfter})`, data };
    }
    return { status: "fail", summary: `${sent} ${what} in ${ms} ms, none limited (${histogram.join(", ")})`, data };
  },
};

export const rateLimitChecks: AuditCheck[] = [burst];
