// `sapper scan`: the poisoning scanner (and, for configs, package provenance) as a CI step. Exit 1
// when anything at or above --fail-on is found.
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { loadConfig } from "../config/load-config.js";
import { ExitCodes, isSapperError, SapperError } from "../errors.js";
import { fetchUpstreamDefinitions, fetchUrlDefinitions } from "../guard/fetch-definitions.js";
import { checkProvenance, loadOfficialPackages, npmViewLookup, parseLaunch } from "../guard/provenance.js";
import { loadRuleSet } from "../guard/rule-set.js";
import { createScanner, type Finding } from "../guard/scanner.js";
import { compareSeverity, isSeverity, severityAtLeast, SEVERITIES, type Severity } from "../guard/severity.js";
import { loadTextModel } from "../guard/text-model.js";
import type { UpstreamDefinitions } from "../guard/tool-guard.js";

/** One line of `sapper scan --json`. */
export interface ScanReportFinding {
  tool: string;
  rule: string;
  family: string;
  severity: Severity;
  path: string;
  message: string;
}

interface ScanFlags {
  config?: string;
  url?: string;
  file?: string;
  json?: boolean;
  failOn: string;
  minSeverity: string;
  offline?: boolean;
  header?: string[];
  rules?: string;
}

/** Reads `{"tools": [...]}` (a tools/list result), a plain array of tools, or {instructions, tools, prompts, resourceTemplates}. */
export function readDefinitionsFile(path: string): UpstreamDefinitions {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new SapperError("SAPPER_SCAN_INPUT_INVALID", `cannot read ${path} as JSON: ${(err as Error).message}`);
  }
  const obj = (Array.isArray(raw) ? { tools: raw } : raw) as Record<string, unknown> | null;
  if (!obj || typeof obj !== "object" || (!Array.isArray(obj.tools) && !Array.isArray(obj.prompts) && !Array.isArray(obj.resourceTemplates))) {
    throw new SapperError("SAPPER_SCAN_INPUT_INVALID", `${path}: expected a tools/list result {"tools": [...]} or an array of tools`);
  }
  const list = (key: string) => {
    const v = obj[key] ?? [];
    if (!Array.isArray(v) || v.some((t) => typeof t !== "object" || t === null || typeof (t as { name?: unknown }).name !== "string")) {
      throw new SapperError("SAPPER_SCAN_INPUT_INVALID", `${path}: every entry of "${key}" must be an object with a string "name"`);
    }
    return v;
  };
  return {
    ...(typeof obj.instructions === "string" ? { instructions: obj.instructions } : {}),
    tools: list("tools") as UpstreamDefinitions["tools"],
    prompts: list("prompts") as UpstreamDefinitions["prompts"],
    resourceTemplates: list("resourceTemplates") as UpstreamDefinitions["resourceTemplates"],
  };
}

function toReport(f: Finding, prefix = ""): ScanReportFinding {
  return { tool: `${prefix}${f.tool}`, rule: f.rule, family: f.family, severity: f.severity, path: f.path, message: f.message };
}

function parseHeaders(values: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of values) {
    const i = h.indexOf(":");
    if (i <= 0) throw new SapperError("SAPPER_CLI_USAGE", `--header must look like "Name: value"`);
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}

function severityFlag(name: string, value: string): Severity {
  if (!isSeverity(value)) throw new SapperError("SAPPER_CLI_USAGE", `${name} must be one of ${SEVERITIES.join(", ")}, got "${value}"`);
  return value;
}

function renderHuman(findings: ScanReportFinding[], scanned: number, rules: string, failOn: Severity): string {
  const out: string[] = [];
  for (const f of findings) out.push(`${f.severity.toUpperCase().padEnd(8)} ${f.rule}  ${f.tool}  ${f.path}\n         ${f.message}`);
  const counts = SEVERITIES.slice()
    .reverse()
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const failing = findings.filter((f) => severityAtLeast(f.severity, failOn)).length;
  out.push(
    `${findings.length === 0 ? "no findings" : `${findings.length} finding${findings.length === 1 ? "" : "s"} (${counts.join(", ")})`} in ${scanned} definition${scanned === 1 ? "" : "s"}; ${failing} at or above ${failOn}; rules ${rules}`,
  );
  return `${out.join("\n")}\n`;
}

export function registerScan(program: Command): void {
  program
    .command("scan")
    .description("scan MCP tool definitions for poisoning (and package provenance); exit 1 when a finding reaches --fail-on")
    .option("-c, --config <file>", "scan every upstream of this Sapper config (connects to each)")
    .option("-u, --url <url>", "scan a remote Streamable HTTP MCP server")
    .option("-f, --file <file>", 'scan a JSON file: a tools/list result {"tools": [...]} or an array of tools')
    .option("--json", 'print {"findings": [...]} on stdout')
    .option("--fail-on <severity>", "exit 1 when a finding is at least this severe", "high")
    .option("--min-severity <severity>", "report findings at least this severe", "low")
    .option("--offline", "with --config: no npm registry look-ups")
    .option("-H, --header <header...>", 'with --url: HTTP header "Name: value" (e.g. Authorization)')
    .option("--rules <file>", "a rule file instead of the bundled rules/poisoning-rules.v1.json")
    .addHelpText("after", "\nExamples:\n  sapper scan --file tools.json --json\n  sapper scan --config sapper.yaml --fail-on medium\n  sapper scan --url https://mcp.example.com/mcp -H 'Authorization: Bearer ...'\n")
    .action(async (flags: ScanFlags) => {
      try {
        const code = await runScan(flags);
        process.exitCode = code;
      } catch (err) {
        if (!isSapperError(err)) throw err;
        process.stderr.write(`sapper: ${err.message}\n`);
        process.exitCode = err.code === "SAPPER_UPSTREAM_START_FAILED" ? ExitCodes.startup : ExitCodes.config;
      }
    });
}

async function runScan(flags: ScanFlags): Promise<number> {
  const sources = [flags.config, flags.url, flags.file].filter((x) => x !== undefined).length;
  if (sources !== 1) throw new SapperError("SAPPER_CLI_USAGE", "give exactly one of --config FILE, --url URL or --file FILE");
  const failOn = severityFlag("--fail-on", flags.failOn);
  const minSeverity = severityFlag("--min-severity", flags.minSeverity);
  const findings: ScanReportFinding[] = [];
  let scanned = 0;
  let failedUpstreams = 0;
  let rulesName: string;

  if (flags.config) {
    const config = loadConfig(flags.config);
    const configDir = dirname(resolve(flags.config));
    const rulesPath = flags.rules ?? (config.guard.rulesFile ? resolve(configDir, config.guard.rulesFile) : undefined);
    const rules = loadRuleSet(rulesPath);
    rulesName = `${rules.name} ${rules.version}`;
    const official = loadOfficialPackages();
    // One text model for every upstream's scanner (each has its own ignored rules): it is read once.
    const model = loadTextModel();
    const lookup = flags.offline ? undefined : npmViewLookup();
    for (const [name, spec] of Object.entries(config.upstreams)) {
      const mode = spec.guard?.provenance ?? config.guard.provenance;
      if (spec.transport === "stdio" && mode !== "off") {
        const ref = parseLaunch(spec.command, spec.args);
        if (ref) {
          const { findings: prov, registry } = await checkProvenance(ref, official, mode === "registry" ? lookup : undefined);
          if (registry === "unreachable" && !flags.json) process.stderr.write(`sapper: npm registry unreachable; registry checks for ${ref.name} skipped\n`);
          for (const p of prov) findings.push({ tool: name, rule: p.rule, family: "provenance", severity: p.severity, path: "command", message: p.message });
        }
      }
      const ignore = [...config.guard.ignoreRules, ...(spec.guard?.ignoreRules ?? [])];
      try {
        const defs = await fetchUpstreamDefinitions(name, spec);
        scanned += defs.tools.length + defs.prompts.length + defs.resourceTemplates.length + (defs.instructions ? 1 : 0);
        for (const f of createScanner({ rules, model, ignoreRules: ignore }).scan(defs)) findings.push(toReport(f, `${name}/`));
      } catch (err) {
        if (!isSapperError(err)) throw err;
        failedUpstreams++;
        process.stderr.write(`sapper: ${err.message}\n`);
      }
    }
  } else {
    const rules = loadRuleSet(flags.rules);
    rulesName = `${rules.name} ${rules.version}`;
    const defs = flags.file ? readDefinitionsFile(flags.file) : await fetchUrlDefinitions(flags.url!, { headers: parseHeaders(flags.header) });
    scanned = defs.tools.length + defs.prompts.length + defs.resourceTemplates.length + (defs.instructions ? 1 : 0);
    for (const f of createScanner({ rules }).scan(defs)) findings.push(toReport(f));
  }

  const shown = findings
    .filter((f) => severityAtLeast(f.severity, minSeverity))
    .sort((a, b) => compareSeverity(b.severity, a.severity) || a.tool.localeCompare(b.tool) || a.rule.localeCompare(b.rule));
  if (flags.json) process.stdout.write(`${JSON.stringify({ findings: shown })}\n`);
  else process.stdout.write(renderHuman(shown, scanned, rulesName, failOn));
  if (findings.some((f) => severityAtLeast(f.severity, failOn))) return ExitCodes.findings;
  return failedUpstreams > 0 ? ExitCodes.startup : ExitCodes.ok;
}
