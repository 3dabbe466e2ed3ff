// `sapper lint`: runs every static rule over a directory and builds the same report the remote audit
// does. A rule that throws becomes a warn result; a rule with nothing to look at becomes a skip.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { resultOf, type CheckResult, type Report } from "../check.js";
import { SapperError } from "../../errors.js";
import { summarize } from "../score.js";
import { clientConfigRules } from "./client-config.js";
import { composeRules } from "./compose.js";
import { dockerfileRules } from "./dockerfile.js";
import { kubernetesRules } from "./kubernetes.js";
import type { LintRule } from "./lint-rule.js";
import { lockfile } from "./lockfile.js";
import { Repo } from "./repo.js";
import { stickySessions } from "./sticky-sessions.js";

export const LINT_RULES: readonly LintRule[] = [...dockerfileRules, ...composeRules, ...kubernetesRules, stickySessions, lockfile, ...clientConfigRules];

export function runLint(dir: string, version = "0.0.0", rules: readonly LintRule[] = LINT_RULES): Report {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new SapperError("SAPPER_LINT_DIR_NOT_FOUND", `${dir} is not a directory; give the repository to lint, e.g. \`sapper lint .\``, { dir });
  }
  const started = Date.now();
  const repo = new Repo(root);
  const results: CheckResult[] = [];
  for (const rule of rules) {
    const t0 = Date.now();
    try {
      const findings = rule.run(repo);
      if (findings.length === 0) results.push(resultOf(rule.meta, "skip", `nothing to check: no ${rule.appliesTo} found`, {}, { durationMs: Date.now() - t0 }));
      for (const f of findings) {
        const extra = f.location ? { durationMs: Date.now() - t0, location: f.location } : { durationMs: Date.now() - t0 };
        results.push(resultOf(rule.meta, f.status, f.summary, { data: f.data ?? {} }, extra));
      }
    } catch (err) {
      results.push(resultOf(rule.meta, "warn", `the rule could not complete: ${(err as Error).message}`, {}, { durationMs: Date.now() - t0 }));
    }
  }
  return {
    kind: "lint",
    tool: { name: "sapper", version },
    target: dir,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    facts: { files: repo.files.length },
    checks: rules.map((r) => r.meta),
    results,
    summary: summarize(results),
  };
}
