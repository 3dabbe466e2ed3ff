// The shared vocabulary of `sapper audit` and `sapper lint`: what a check is, what it found, and
// the evidence behind it. Reporters (text, JSON, SARIF, HTML) read only these types.

export type Severity = "critical" | "high" | "medium" | "low" | "info";
export type Status = "pass" | "warn" | "fail" | "skip";

export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];
export const STATUSES: readonly Status[] = ["fail", "warn", "pass", "skip"];

/** One HTTP request and the relevant part of its answer, already redacted. */
export interface ExchangeEvidence {
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body?: string };
  /** Set when no response arrived (refused, reset, timed out). */
  error?: string;
  ms: number;
}

export type EvidenceValue = string | number | boolean | string[] | number[];

export interface SourceLocation {
  /** Path relative to the linted directory, with forward slashes. */
  file: string;
  line?: number;
}

export interface Evidence {
  exchanges: ExchangeEvidence[];
  /** Measured facts (counts, percentiles, observed values), for people and for machines. */
  data: Record<string, EvidenceValue>;
}

/** What every check declares about itself, independent of any run. */
export interface CheckMeta {
  id: string;
  /** The family the check belongs to, e.g. "transport" or "dockerfile"; reports group by it. */
  family: string;
  title: string;
  severity: Severity;
  /** Numbers of the production checklist items (docs/audit.md) this check covers. */
  checklist: number[];
  /** What the check verifies, one sentence. */
  description: string;
  /** How to fix a warn or fail. */
  fix: string;
}

export interface CheckResult {
  id: string;
  family: string;
  title: string;
  severity: Severity;
  checklist: number[];
  status: Status;
  /** One or two sentences a person reads first. */
  summary: string;
  fix: string;
  evidence: Evidence;
  location?: SourceLocation;
  durationMs: number;
}

export interface ReportSummary {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
  /** 0-100, severity-weighted; skipped checks do not count. */
  score: number;
  grade: "A" | "B" | "C" | "D" | "F";
}

export interface Report {
  kind: "audit" | "lint";
  tool: { name: "sapper"; version: string };
  /** The audited URL (credentials never included) or the linted directory. */
  target: string;
  startedAt: string;
  durationMs: number;
  /** Facts about the target (transport, protocol version, server name...). */
  facts: Record<string, EvidenceValue>;
  /** The checks that were selected, in run order, so reporters can describe rules without results. */
  checks: CheckMeta[];
  results: CheckResult[];
  summary: ReportSummary;
}

export function resultOf(
  meta: CheckMeta,
  status: Status,
  summary: string,
  evidence: Partial<Evidence> = {},
  extra: { durationMs?: number; location?: SourceLocation } = {},
): CheckResult {
  const result: CheckResult = {
    id: meta.id,
    family: meta.family,
    title: meta.title,
    severity: meta.severity,
    checklist: meta.checklist,
    status,
    summary,
    fix: meta.fix,
    evidence: { exchanges: evidence.exchanges ?? [], data: evidence.data ?? {} },
    durationMs: extra.durationMs ?? 0,
  };
  if (extra.location) result.location = extra.location;
  return result;
}
