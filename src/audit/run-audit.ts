// Runs the remote checks against one endpoint: discovery first, then each check in turn under its
// own time budget, with its own evidence, and with every session it opened closed afterwards. A check
// that throws or runs out of time becomes a result; it never stops the others.
import { setMaxListeners } from "node:events";
import { AUDIT_LIMITS, type AuditCheck, type AuditContext, type AuditOptions } from "./audit-check.js";
import { resultOf, type CheckResult, type EvidenceValue, type Report } from "./check.js";
import { AUDIT_CHECKS } from "./checks/index.js";
import { discover, sessionFor, type Discovery } from "./discovery.js";
import { HttpProbe, RequestBudget } from "./http-probe.js";
import type { McpSession } from "./mcp-session.js";
import { Redactor } from "./redactor.js";
import { summarize } from "./score.js";

const CLOSE_WIDTH = 16;

export interface RunAuditHooks {
  /** Called as each result is ready (for progress output). */
  onResult?: (result: CheckResult) => void;
}

export function selectChecks(only: string[] | undefined, skip: string[] | undefined, checks: readonly AuditCheck[] = AUDIT_CHECKS): AuditCheck[] {
  const matches = (c: AuditCheck, sel: string[]): boolean => sel.some((s) => s === c.meta.id || s === c.meta.family);
  return checks.filter((c) => (!only?.length || matches(c, only)) && !(skip?.length && matches(c, skip)));
}

export async function runAudit(
  options: AuditOptions,
  checks: readonly AuditCheck[] = AUDIT_CHECKS,
  hooks: RunAuditHooks = {},
  version = "0.0.0",
): Promise<Report> {
  const started = Date.now();
  const redactor = new Redactor();
  for (const t of options.tokens) redactor.addSecret(t);
  for (const v of Object.values(options.headers)) redactor.addSecret(v);
  const budget = new RequestBudget(options.maxRequests);
  const memo = new Map<string, Promise<unknown>>();

  const withDeadline = async <T>(ms: number, body: (signal: AbortSignal) => Promise<T>): Promise<{ value?: T; error?: Error; timedOut: boolean }> => {
    const controller = new AbortController();
    // Concurrent requests of the load checks each listen for the abort.
    setMaxListeners(0, controller.signal);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve("timeout");
      }, ms);
    });
    try {
      const value = await Promise.race([body(controller.signal), deadline]);
      if (value === "timeout") return { timedOut: true };
      return { value: value as T, timedOut: false };
    } catch (err) {
      return { error: err instanceof Error ? err : new Error(String(err)), timedOut: false };
    } finally {
      clearTimeout(timer);
    }
  };

  const rootProbe = (signal: AbortSignal): HttpProbe =>
    new HttpProbe({
      redactor,
      budget,
      signal,
      requestTimeoutMs: options.requestTimeoutMs,
      baseHeaders: options.headers,
      allowedTool: options.call?.tool,
    });

  const results: CheckResult[] = [];
  let discovery: Discovery;
  try {
    const d = await withDeadline(options.checkTimeoutMs, (signal) => discover(rootProbe(signal), options.url, options.tokens[0]));
    discovery = d.value ?? {
      verdict: "unreachable",
      url: options.url,
      session: "streamable-http",
      reason: d.timedOut ? `the endpoint did not complete the handshake within ${options.checkTimeoutMs} ms` : `discovery failed: ${redactor.text(d.error?.message ?? "unknown error")}`,
      sessionful: false,
      exchanges: [],
    };

    for (const check of checks) {
      const opened: McpSession[] = [];
      const checkStarted = Date.now();
      const budgetMs = check.weight === "load" ? options.checkTimeoutMs * 4 : options.checkTimeoutMs;
      let probe: HttpProbe | undefined;
      const outcome = await withDeadline(budgetMs, (signal) => {
        probe = rootProbe(signal);
        const p = probe;
        const ctx: AuditContext = {
          options,
          discovery,
          probe: p,
          signal,
          token: options.tokens[0],
          openSession: (o = {}) => {
            const s = sessionFor(discovery, p, o);
            opened.push(s);
            return s;
          },
          memo: <T>(key: string, compute: () => Promise<T>): Promise<T> => {
            let v = memo.get(key) as Promise<T> | undefined;
            if (!v) {
              v = compute();
              memo.set(key, v);
            }
            return v;
          },
        };
        return check.run(ctx);
      });
      await withDeadline(10_000, (signal) => closeAll(opened, rootProbe(signal)));
      const durationMs = Date.now() - checkStarted;
      const exchanges = outcome.value?.exchanges ?? probe?.exchanges ?? [];
      let result: CheckResult;
      if (outcome.value) {
        result = resultOf(check.meta, outcome.value.status, redactor.text(outcome.value.summary), { exchanges, data: redactData(redactor, outcome.value.data ?? {}) }, { durationMs });
      } else if (outcome.timedOut) {
        result = resultOf(check.meta, "fail", `did not complete within ${budgetMs} ms: the endpoint stopped answering`, { exchanges }, { durationMs });
      } else {
        result = resultOf(check.meta, "warn", `the check could not complete: ${redactor.text(outcome.error?.message ?? "unknown error")}`, { exchanges }, { durationMs });
      }
      results.push(result);
      hooks.onResult?.(result);
    }
  } finally {
    budget.close();
  }

  const facts: Record<string, EvidenceValue> = { url: redactor.url(options.url), transport: discovery.verdict };
  if (discovery.url.href !== options.url.href) facts.mcpUrl = redactor.url(discovery.url);
  if (discovery.initialize) {
    facts.server = `${discovery.initialize.serverInfo.name} ${discovery.initialize.serverInfo.version}`.trim();
    facts.protocolVersion = discovery.initialize.protocolVersion;
  }
  if (discovery.modern) facts.modernVersions = discovery.modern.supportedVersions;
  if (discovery.verdict === "streamable-http") facts.sessionful = discovery.sessionful;
  facts.requests = budget.count;

  return {
    kind: "audit",
    tool: { name: "sapper", version },
    target: redactor.url(options.url),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    facts,
    checks: checks.map((c) => c.meta),
    results,
    summary: summarize(results),
  };
}

async function closeAll(sessions: McpSession[], via: HttpProbe): Promise<void> {
  for (let i = 0; i < sessions.length; i += CLOSE_WIDTH) {
    await Promise.all(sessions.slice(i, i + CLOSE_WIDTH).map((s) => s.close(via).catch(() => undefined)));
  }
}

function redactData(redactor: Redactor, data: Record<string, EvidenceValue>): Record<string, EvidenceValue> {
  const out: Record<string, EvidenceValue> = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v === "string") out[k] = redactor.text(v);
    else if (Array.isArray(v) && v.every((x) => typeof x === "string")) out[k] = (v as string[]).map((x) => redactor.text(x));
    else out[k] = v;
  }
  return out;
}

export function defaultAuditOptions(url: URL, overrides: Partial<AuditOptions> = {}): AuditOptions {
  return {
    url,
    tokens: [],
    headers: {},
    burst: AUDIT_LIMITS.burst.default,
    concurrency: AUDIT_LIMITS.concurrency.default,
    sessionSamples: AUDIT_LIMITS.sessionSamples.default,
    allowHosts: [],
    call: undefined,
    requestTimeoutMs: AUDIT_LIMITS.requestTimeoutMs.default,
    checkTimeoutMs: AUDIT_LIMITS.checkTimeoutMs.default,
    oversizedBodyBytes: AUDIT_LIMITS.oversizedBodyBytes,
    maxRequests: AUDIT_LIMITS.maxRequests,
    ...overrides,
  };
}
