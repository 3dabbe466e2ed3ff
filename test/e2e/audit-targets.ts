// Real MCP endpoints for the audit e2e tests, each on a free loopback port: the official
// server-everything (Streamable HTTP or legacy SSE), and supergateway in front of its stdio mode.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, expect } from "vitest";
import type { CheckResult, Report, Status } from "../../src/audit/check.js";
import { defaultAuditOptions, runAudit } from "../../src/audit/run-audit.js";
import { join } from "node:path";
import { freePort, startServerProcess, type ServerProcess } from "../helpers/server-process.js";
import { repoRoot, sapperBin } from "../helpers/start-sapper.js";

export { freePort };

export const everythingEntry = join(repoRoot, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");

export type Target = ServerProcess;

/** server-everything serving Streamable HTTP on /mcp, or legacy SSE on /sse; it reads its port from PORT. */
export async function startEverything(mode: "streamableHttp" | "sse"): Promise<Target> {
  const port = await freePort();
  return startServerProcess({
    args: [everythingEntry, mode],
    env: { PORT: String(port) },
    ready: mode === "sse" ? /running on port \d+/ : /listening on port \d+/,
    url: (p) => `http://127.0.0.1:${p}/${mode === "sse" ? "sse" : "mcp"}`,
    port,
  });
}

/** supergateway turning server-everything's stdio into stateful Streamable HTTP on /mcp. */
export async function startSupergateway(): Promise<Target> {
  const port = await freePort();
  return startServerProcess({
    command: join(repoRoot, "node_modules/.bin/supergateway"),
    args: ["--stdio", `${process.execPath} ${everythingEntry} stdio`, "--outputTransport", "streamableHttp", "--stateful", "--port", String(port), "--logLevel", "info"],
    ready: /Listening on port \d+/,
    url: (p) => `http://127.0.0.1:${p}/mcp`,
    port,
  });
}

/** Runs the built CLI (`sapper audit …`) and returns its exit status and output. */
export function sapperAudit(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [sapperBin, "audit", ...args], { cwd: repoRoot, env: { ...process.env, ...env }, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface AuditedTarget {
  readonly report: Report;
  readonly url: string;
  byId(id: string): CheckResult;
}

/**
 * Starts a target once for the test file, audits it with the given limits, and stops it after the
 * file's tests (registers the file's beforeAll/afterAll).
 */
export function auditOnce(start: () => Promise<{ url: string; stop(): Promise<unknown> }>, limits: { burst: number; concurrency: number }, timeoutMs = 180_000): AuditedTarget {
  let target: { url: string; stop(): Promise<unknown> } | undefined;
  let report: Report | undefined;
  beforeAll(async () => {
    target = await start();
    // A generous request timeout: the concurrency check opens its sessions at once, and on a loaded
    // machine a server that spawns a process per session can take more than the default 10 s to answer.
    report = await runAudit(defaultAuditOptions(new URL(target.url), { requestTimeoutMs: 30_000, ...limits }));
  }, timeoutMs);
  afterAll(async () => {
    await target?.stop();
  });
  return {
    get report() {
      return report!;
    },
    get url() {
      return target!.url;
    },
    byId: (id) => report!.results.find((r) => r.id === id)!,
  };
}

/** Asserts each check's verdict, naming the check in the failure message. */
export function expectVerdicts(audited: AuditedTarget, expected: Record<string, Status>): void {
  for (const [id, status] of Object.entries(expected)) expect(`${id}: ${audited.byId(id).status}`).toBe(`${id}: ${status}`);
}
