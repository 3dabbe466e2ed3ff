// The contract of a static (lint) rule: it reads the repository and returns findings, one per file or
// object it judged; no findings means the rule did not apply (reported as a skip).
import type { CheckMeta, EvidenceValue, SourceLocation, Status } from "../check.js";
import type { Repo } from "./repo.js";

export interface LintFinding {
  status: Exclude<Status, "skip">;
  summary: string;
  location?: SourceLocation;
  data?: Record<string, EvidenceValue>;
}

export interface LintRule {
  meta: CheckMeta;
  /** What the rule looks at, for the skip message when there is none ("no Dockerfile"). */
  appliesTo: string;
  run(repo: Repo): LintFinding[];
}
