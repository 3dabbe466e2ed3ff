// Turns results into the one number people ask for: a severity-weighted score, a grade, the counts,
// and the CI verdict of --fail-on.
import type { CheckResult, ReportSummary, Severity, Status } from "./check.js";

const WEIGHT: Record<Severity, number> = { critical: 10, high: 6, medium: 3, low: 1, info: 0 };
const CREDIT: Record<Exclude<Status, "skip">, number> = { pass: 1, warn: 0.5, fail: 0 };

export function summarize(results: readonly CheckResult[]): ReportSummary {
  const counts = { pass: 0, warn: 0, fail: 0, skip: 0 };
  let weight = 0;
  let earned = 0;
  for (const r of results) {
    counts[r.status]++;
    if (r.status === "skip") continue;
    weight += WEIGHT[r.severity];
    earned += WEIGHT[r.severity] * CREDIT[r.status];
  }
  const score = weight === 0 ? 100 : Math.round((100 * earned) / weight);
  return { ...counts, score, grade: grade(score) };
}

function grade(score: number): ReportSummary["grade"] {
  if (score >= 90) return "A";
  if (score >= 75) return "B";
  if (score >= 60) return "C";
  if (score >= 40) return "D";
  return "F";
}

export type FailOn = "never" | "warn" | "fail";

/** True when the results should make the command exit non-zero under --fail-on. */
export function breaches(results: readonly CheckResult[], failOn: FailOn): boolean {
  if (failOn === "never") return false;
  return results.some((r) => r.status === "fail" || (failOn === "warn" && r.status === "warn"));
}
