// The terminal report: results grouped by family, worst first within a group, coloured when the
// output is a TTY, with the fix and a line of evidence for everything that is not a pass, and a score.
import type { CheckResult, ExchangeEvidence, Report, Status } from "../check.js";

export interface TextReportOptions {
  color: boolean;
  /** Print every exchange in full (headers and bodies), not just one line per finding. */
  verbose: boolean;
}

const ANSI = { reset: "\x1b[0m", bold: "\x1b[1m", dim: "\x1b[2m", red: "\x1b[31m", green: "\x1b[32m", yellow: "\x1b[33m", gray: "\x1b[90m", cyan: "\x1b[36m" };
const MARK: Record<Status, { label: string; color: string }> = {
  pass: { label: "PASS", color: ANSI.green },
  warn: { label: "WARN", color: ANSI.yellow },
  fail: { label: "FAIL", color: ANSI.red },
  skip: { label: "SKIP", color: ANSI.gray },
};
const ORDER: Record<Status, number> = { fail: 0, warn: 1, pass: 2, skip: 3 };

export function renderText(report: Report, options: TextReportOptions): string {
  const c = (code: string, s: string): string => (options.color ? `${code}${s}${ANSI.reset}` : s);
  const lines: string[] = [];
  const title = report.kind === "audit" ? "Sapper audit" : "Sapper lint";
  lines.push(`${c(ANSI.bold, title)}  ${report.target}`);
  const facts = Object.entries(report.facts)
    .filter(([k]) => k !== "url")
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(",") : String(v)}`);
  facts.push(`${(report.durationMs / 1000).toFixed(1)} s`);
  lines.push(c(ANSI.dim, `  ${facts.join(" · ")}`));

  const families = [...new Set(report.results.map((r) => r.family))];
  for (const family of families) {
    lines.push("", c(ANSI.bold + ANSI.cyan, family));
    const group = report.results.filter((r) => r.family === family).sort((a, b) => ORDER[a.status] - ORDER[b.status]);
    const width = Math.max(...group.map((r) => r.id.length));
    for (const r of group) {
      const mark = MARK[r.status];
      const where = r.location ? ` ${r.location.file}${r.location.line ? `:${r.location.line}` : ""}` : "";
      const sev = r.status === "fail" || r.status === "warn" ? c(ANSI.dim, ` [${r.severity}]`) : "";
      lines.push(`  ${c(mark.color, mark.label)}  ${r.id.padEnd(width)}${sev}${where}  ${r.summary}`);
      if (r.status === "fail" || r.status === "warn") {
        lines.push(c(ANSI.dim, `        fix: ${r.fix}`));
        lines.push(...evidenceLines(r, options.verbose).map((l) => c(ANSI.dim, `        ${l}`)));
      } else if (options.verbose) {
        lines.push(...evidenceLines(r, true).map((l) => c(ANSI.dim, `        ${l}`)));
      }
    }
  }
  const s = report.summary;
  const gradeColor = s.grade === "A" || s.grade === "B" ? ANSI.green : s.grade === "C" ? ANSI.yellow : ANSI.red;
  lines.push(
    "",
    `${c(ANSI.bold, "Score")} ${c(gradeColor + ANSI.bold, `${s.score}/100 (${s.grade})`)}   ${c(ANSI.green, `${s.pass} pass`)} · ${c(ANSI.yellow, `${s.warn} warn`)} · ${c(ANSI.red, `${s.fail} fail`)} · ${c(ANSI.gray, `${s.skip} skip`)}`,
  );
  return `${lines.join("\n")}\n`;
}

function evidenceLines(r: CheckResult, verbose: boolean): string[] {
  const out: string[] = [];
  const data = Object.entries(r.evidence.data);
  if (data.length) out.push(`data: ${data.map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(", ")}]` : String(v)}`).join(" ")}`);
  const exchanges = verbose ? r.evidence.exchanges : r.evidence.exchanges.slice(0, 1);
  for (const ex of exchanges) out.push(...exchangeLines(ex, verbose));
  return out;
}

export function exchangeSummary(ex: ExchangeEvidence): string {
  const answer = ex.response ? `HTTP ${ex.response.status}` : `no answer (${ex.error ?? "unknown"})`;
  return `${ex.request.method} ${ex.request.url} → ${answer} in ${ex.ms} ms`;
}

function exchangeLines(ex: ExchangeEvidence, verbose: boolean): string[] {
  if (!verbose) return [`evidence: ${exchangeSummary(ex)}`];
  const out = [`> ${ex.request.method} ${ex.request.url}`];
  for (const [k, v] of Object.entries(ex.request.headers)) out.push(`> ${k}: ${v}`);
  if (ex.request.body) out.push(`> ${oneLine(ex.request.body)}`);
  if (ex.response) {
    out.push(`< HTTP ${ex.response.status} (${ex.ms} ms)`);
    for (const [k, v] of Object.entries(ex.response.headers)) out.push(`< ${k}: ${v}`);
    if (ex.response.body) out.push(`< ${oneLine(ex.response.body)}`);
  } else {
    out.push(`< no answer: ${ex.error ?? "unknown"} (${ex.ms} ms)`);
  }
  return out;
}

function oneLine(s: string): string {
  const flat = s.replace(/\s*\n\s*/g, " ⏎ ");
  return flat.length > 400 ? `${flat.slice(0, 400)}…` : flat;
}
