// SARIF 2.1.0 output, so CI code scanning shows the findings. Every selected check is a rule; every
// warn or fail is a result. Lint results point at their file and line; remote audit results point at
// `artifact` (a repository file such as the deployment config) when given, else at the audited URL.
import { pathToFileURL } from "node:url";
import type { CheckMeta, CheckResult, Report, Severity } from "../check.js";
import { checklistTitle } from "../checklist.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI = "https://github.com/sapper-mcp/sapper/blob/main/docs/audit.md";

const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", info: "0.0" };
const DEFAULT_LEVEL: Record<Severity, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note", info: "note" };

export interface SarifOptions {
  /** Repository-relative file that remote findings are attached to (code scanning needs a file). */
  artifact?: string | undefined;
  /** Absolute path of the linted directory, the base of lint locations. */
  root?: string | undefined;
}

type Json = Record<string, unknown>;

export function renderSarif(report: Report, options: SarifOptions = {}): Json {
  const rules = report.checks.map(rule);
  const index = new Map(report.checks.map((c, i) => [c.id, i]));
  const results = report.results.filter((r) => r.status === "fail" || r.status === "warn").map((r) => result(r, index.get(r.id) ?? -1, report, options));
  const run: Json = {
    tool: {
      driver: {
        name: "sapper",
        version: report.tool.version,
        semanticVersion: report.tool.version,
        informationUri: INFORMATION_URI,
        rules,
      },
    },
    invocations: [
      {
        executionSuccessful: true,
        startTimeUtc: report.startedAt,
        endTimeUtc: new Date(Date.parse(report.startedAt) + report.durationMs).toISOString(),
      },
    ],
    automationDetails: { id: `sapper-${report.kind}/${automationKey(report.target)}/` },
    results,
    properties: {
      target: report.target,
      score: report.summary.score,
      grade: report.summary.grade,
      pass: report.summary.pass,
      warn: report.summary.warn,
      fail: report.summary.fail,
      skip: report.summary.skip,
      facts: report.facts,
    },
  };
  if (options.root) run.originalUriBaseIds = { SRCROOT: { uri: pathToFileURL(options.root.endsWith("/") ? options.root : `${options.root}/`).href, description: { text: "The linted directory" } } };
  return { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [run] };
}

function rule(meta: CheckMeta): Json {
  return {
    id: meta.id,
    name: meta.id.split(/[.-]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join(""),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    help: {
      text: `${meta.fix}\n\nProduction checklist: ${meta.checklist.map((n) => `#${n} ${checklistTitle(n)}`).join("; ")}`,
      markdown: `**Fix:** ${meta.fix}\n\n**Production checklist:** ${meta.checklist.map((n) => `#${n} ${checklistTitle(n)}`).join("; ")}`,
    },
    helpUri: `${INFORMATION_URI}#${meta.id.replace(/\./g, "")}`,
    defaultConfiguration: { level: DEFAULT_LEVEL[meta.severity] },
    properties: {
      tags: ["security", "mcp", meta.family],
      precision: "high",
      "security-severity": SECURITY_SEVERITY[meta.severity],
      checklist: meta.checklist,
    },
  };
}

function result(r: CheckResult, ruleIndex: number, report: Report, options: SarifOptions): Json {
  const out: Json = {
    ruleId: r.id,
    ruleIndex,
    kind: "fail",
    level: level(r),
    message: { text: `${r.summary}. Fix: ${r.fix}` },
    locations: [location(r, report, options)],
    partialFingerprints: { "sapperFinding/v1": `${r.id}:${r.location?.file ?? report.target}:${r.location?.line ?? 0}` },
    properties: { status: r.status, severity: r.severity, checklist: r.checklist, evidence: r.evidence.data },
  };
  return out;
}

/** A fail is an error unless the check is low severity; a warn is a warning, or a note when low. */
function level(r: CheckResult): "error" | "warning" | "note" {
  const low = r.severity === "low" || r.severity === "info";
  if (r.status === "fail") return low ? "warning" : "error";
  return low ? "note" : "warning";
}

function location(r: CheckResult, report: Report, options: SarifOptions): Json {
  if (r.location) {
    const artifactLocation: Json = { uri: encodePath(r.location.file) };
    if (options.root) artifactLocation.uriBaseId = "SRCROOT";
    const physical: Json = { artifactLocation };
    if (r.location.line) physical.region = { startLine: r.location.line };
    return { physicalLocation: physical };
  }
  return {
    physicalLocation: { artifactLocation: { uri: options.artifact ? encodePath(options.artifact) : report.target } },
    logicalLocations: [{ name: r.id, fullyQualifiedName: `${report.target}#${r.id}`, kind: "resource" }],
  };
}

function encodePath(p: string): string {
  return p.split("/").map(encodeURIComponent).join("/");
}

function automationKey(target: string): string {
  return target.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 100);
}
