// `sapper audit <url>`: checks a live MCP endpoint against the production checklist and reports it
// for people (terminal, HTML) and for CI (JSON, SARIF, --fail-on). Never sends anything but
// initialize, */list, ping and the one tool call named with --call.
import type { Command } from "commander";
import { AUDIT_LIMITS } from "../audit/audit-check.js";
import { PRODUCTION_CHECKLIST } from "../audit/checklist.js";
import { AUDIT_CHECKS } from "../audit/checks/index.js";
import { defaultAuditOptions, runAudit, selectChecks } from "../audit/run-audit.js";
import { ExitCodes, isSapperError, SapperError } from "../errors.js";
import { SAPPER_VERSION } from "../version.js";
import { checkFailOn, outputReport } from "./report-output.js";

interface AuditCliOptions {
  token: string[];
  tokenEnv: string[];
  header: string[];
  burst: string;
  concurrency: string;
  sessionSamples: string;
  allowHost: string[];
  call?: string;
  timeout: string;
  checkTimeout: string;
  only?: string;
  skip?: string;
  json?: string | boolean;
  sarif?: string | boolean;
  sarifArtifact?: string;
  html?: string;
  failOn: string;
  color?: boolean;
  verbose?: boolean;
  listChecks?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function bounded(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new SapperError("SAPPER_CLI_USAGE", `${flag} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return n;
}

export function parseCall(raw: string | undefined): { tool: string; args: Record<string, unknown> } | undefined {
  if (raw === undefined) return undefined;
  const colon = raw.indexOf(":");
  const tool = (colon === -1 ? raw : raw.slice(0, colon)).trim();
  const json = colon === -1 ? "" : raw.slice(colon + 1).trim();
  if (!tool) throw new SapperError("SAPPER_CLI_USAGE", '--call needs a tool name: --call tool or --call \'tool:{"arg":1}\'');
  if (!json) return { tool, args: {} };
  let args: unknown;
  try {
    args = JSON.parse(json);
  } catch {
    throw new SapperError("SAPPER_CLI_USAGE", `--call arguments after "${tool}:" must be a JSON object`);
  }
  if (typeof args !== "object" || args === null || Array.isArray(args)) throw new SapperError("SAPPER_CLI_USAGE", `--call arguments after "${tool}:" must be a JSON object`);
  return { tool, args: args as Record<string, unknown> };
}

export function parseHeaders(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of raw) {
    const colon = h.indexOf(":");
    if (colon <= 0) throw new SapperError("SAPPER_CLI_USAGE", `--header must look like "Name: value" (got a value without a colon)`);
    out[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
  }
  return out;
}

function tokensFrom(opts: AuditCliOptions): string[] {
  const fromEnv = opts.tokenEnv.map((name) => {
    const v = process.env[name];
    if (!v) throw new SapperError("SAPPER_AUDIT_TOKEN_ENV_MISSING", `--token-env ${name}: the variable is not set or empty`, { variable: name });
    return v;
  });
  return [...opts.token, ...fromEnv];
}

function listChecks(): string {
  const lines = ["Production checklist:"];
  for (const item of PRODUCTION_CHECKLIST) lines.push(`  ${String(item.number).padStart(2)}. ${item.title}`);
  lines.push("", "Checks:");
  const width = Math.max(...AUDIT_CHECKS.map((c) => c.meta.id.length));
  for (const c of AUDIT_CHECKS) lines.push(`  ${c.meta.id.padEnd(width)}  ${c.meta.severity.padEnd(8)}  #${c.meta.checklist.join(",#").padEnd(6)}  ${c.meta.title}`);
  return `${lines.join("\n")}\n`;
}

export function registerAudit(program: Command): void {
  program
    .command("audit")
    .description("check a live MCP endpoint against the production checklist (exit 1 with --fail-on when it falls short)")
    .argument("[url]", "the MCP endpoint, e.g. https://mcp.example.com/mcp (legacy SSE: its /sse URL)")
    .option("--token <token>", "bearer token for authenticated checks; give twice for the cross-principal session check (prefer --token-env)", collect, [])
    .option("--token-env <var>", "read a bearer token from this environment variable (repeatable; used after --token values)", collect, [])
    .option("-H, --header <header>", 'extra header on every request, "Name: value" (repeatable; values are redacted)', collect, [])
    .option("--burst <n>", `requests in the rate-limit burst (max ${AUDIT_LIMITS.burst.max}; loopback or --allow-host only)`, String(AUDIT_LIMITS.burst.default))
    .option("--concurrency <k>", `concurrent sessions in the concurrency check (max ${AUDIT_LIMITS.concurrency.max})`, String(AUDIT_LIMITS.concurrency.default))
    .option("--session-samples <n>", `new sessions opened to sample session ids (max ${AUDIT_LIMITS.sessionSamples.max})`, String(AUDIT_LIMITS.sessionSamples.default))
    .option("--allow-host <host>", "allow the burst against this non-loopback host (repeatable)", collect, [])
    .option("--call <tool:json>", "the one tool call the auditor may make, used as the harmless call under concurrency, e.g. 'echo:{\"message\":\"hi\"}'")
    .option("--timeout <ms>", "per-request timeout", String(AUDIT_LIMITS.requestTimeoutMs.default))
    .option("--check-timeout <ms>", "per-check time budget (load checks get four times as much)", String(AUDIT_LIMITS.checkTimeoutMs.default))
    .option("--only <ids>", "run only these checks or families (comma-separated)")
    .option("--skip <ids>", "skip these checks or families (comma-separated)")
    .option("--json [file]", "write the JSON report to the file, or to stdout")
    .option("--sarif [file]", "write a SARIF 2.1.0 report to the file, or to stdout")
    .option("--sarif-artifact <path>", "repository file that SARIF results are attached to (code scanning needs one), e.g. deploy/sapper.yaml")
    .option("--html <file>", "write a self-contained HTML report")
    .option("--fail-on <level>", "exit 1 when a check ends at this level or worse: never | warn | fail", "never")
    .option("--no-color", "no ANSI colours in the terminal report")
    .option("--verbose", "print every exchange of every check")
    .option("--list-checks", "print the checks and the production checklist they cover, then exit")
    .action(async (url: string | undefined, opts: AuditCliOptions) => {
      try {
        if (opts.listChecks) {
          process.stdout.write(listChecks());
          return;
        }
        checkFailOn(opts);
        if (!url) throw new SapperError("SAPPER_CLI_USAGE", "give the URL of the MCP endpoint to audit, e.g. `sapper audit http://127.0.0.1:8080/mcp`");
        let target: URL;
        try {
          target = new URL(url);
        } catch {
          throw new SapperError("SAPPER_AUDIT_TARGET_INVALID", `${JSON.stringify(url)} is not a URL; give e.g. https://mcp.example.com/mcp`);
        }
        if (target.protocol !== "http:" && target.protocol !== "https:") throw new SapperError("SAPPER_AUDIT_TARGET_INVALID", `only http:// and https:// endpoints can be audited (got ${target.protocol})`);
        const split = (s: string | undefined): string[] | undefined => s?.split(",").map((x) => x.trim()).filter(Boolean);
        const only = split(opts.only);
        const skip = split(opts.skip);
        const checks = selectChecks(only, skip);
        if (checks.length === 0) throw new SapperError("SAPPER_CLI_USAGE", "--only/--skip leave no check to run; see `sapper audit --list-checks`");
        const options = defaultAuditOptions(target, {
          tokens: tokensFrom(opts),
          headers: parseHeaders(opts.header),
          burst: bounded("--burst", opts.burst, 1, AUDIT_LIMITS.burst.max),
          concurrency: bounded("--concurrency", opts.concurrency, 1, AUDIT_LIMITS.concurrency.max),
          sessionSamples: bounded("--session-samples", opts.sessionSamples, 2, AUDIT_LIMITS.sessionSamples.max),
          allowHosts: opts.allowHost,
          call: parseCall(opts.call),
          requestTimeoutMs: bounded("--timeout", opts.timeout, 100, AUDIT_LIMITS.requestTimeoutMs.max),
          checkTimeoutMs: bounded("--check-timeout", opts.checkTimeout, 1_000, AUDIT_LIMITS.checkTimeoutMs.max),
        });
        const report = await runAudit(options, checks, {}, SAPPER_VERSION);
        outputReport(report, opts, opts.sarifArtifact !== undefined ? { sarifArtifact: opts.sarifArtifact } : {});
      } catch (err) {
        if (!isSapperError(err)) throw err;
        process.stderr.write(`sapper: ${err.message}\n`);
        process.exitCode = ExitCodes.config;
      }
    });
}
