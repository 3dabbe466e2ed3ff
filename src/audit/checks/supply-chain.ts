// Supply chain: every definition the server exposes (instructions, tools, prompts, resource templates)
// goes through the guard's poisoning scanner, the same one `sapper serve` applies before exposing tools.
import { createScanner, type Finding, type Scanner } from "../../guard/scanner.js";
import { compareSeverity, severityAtLeast } from "../../guard/severity.js";
import type { AuditCheck, CheckOutcome } from "../audit-check.js";
import { listDefinitions } from "../definitions.js";

const MAX_LISTED = 20;
let scanner: Scanner | undefined;

function describe(f: Finding): string {
  return `${f.tool} ${f.path}: ${f.rule} (${f.family}, ${f.severity}) ${f.message}`;
}

export const poisoning: AuditCheck = {
  meta: {
    id: "supplychain.poisoning",
    family: "supplychain",
    title: "Tool poisoning scan",
    severity: "high",
    checklist: [15],
    description: "Tool, prompt and resource-template definitions and the server instructions carry no poisoning patterns (hidden instructions, exfiltration, shadowing).",
    fix: "Remove the flagged text from the definitions; pin reviewed definitions by hash (`sapper pin`) so a later change is blocked until re-approved.",
  },
  async run(ctx): Promise<CheckOutcome> {
    const defs = await listDefinitions(ctx);
    if (typeof defs === "string") return { status: "skip", summary: defs };
    scanner ??= createScanner();
    const findings = scanner
      .scan({ instructions: defs.instructions, tools: defs.tools, prompts: defs.prompts, resourceTemplates: defs.resourceTemplates })
      .sort((a, b) => compareSeverity(b.severity, a.severity));
    const scanned = `${defs.tools.length} tools, ${defs.prompts.length} prompts, ${defs.resourceTemplates.length} resource templates${defs.instructions ? " and the instructions" : ""}`;
    const data = {
      scanned,
      rulesVersion: scanner.rules.version,
      findings: findings.length,
      details: findings.slice(0, MAX_LISTED).map(describe),
    };
    if (findings.length === 0) return { status: "pass", summary: `no poisoning pattern in ${scanned}`, data };
    const worst = findings[0]!;
    const tools = [...new Set(findings.map((f) => f.tool))];
    const summary = `${findings.length} finding(s) in ${tools.join(", ")}; worst: ${worst.tool} ${worst.rule} (${worst.severity}) ${worst.message}`;
    if (severityAtLeast(worst.severity, "high")) return { status: "fail", summary, data };
    if (worst.severity === "info") return { status: "pass", summary: `${scanned}: only informational findings (${findings.map((f) => f.rule).join(", ")})`, data };
    return { status: "warn", summary, data };
  },
};

export const supplyChainChecks: AuditCheck[] = [poisoning];
