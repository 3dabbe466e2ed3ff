// `sapper lint [dir]`: static checks of a repository's deployment files (Dockerfile, compose,
// Kubernetes, load balancer) and MCP client configs, with the same reports as `sapper audit`.
import { resolve } from "node:path";
import type { Command } from "commander";
import { PRODUCTION_CHECKLIST } from "../audit/checklist.js";
import { LINT_RULES, runLint } from "../audit/lint/run-lint.js";
import { ExitCodes, isSapperError } from "../errors.js";
import { SAPPER_VERSION } from "../version.js";
import { checkFailOn, outputReport } from "./report-output.js";

interface LintCliOptions {
  json?: string | boolean;
  sarif?: string | boolean;
  html?: string;
  failOn: string;
  color?: boolean;
  verbose?: boolean;
  listRules?: boolean;
}

function listRules(): string {
  const lines = ["Rules:"];
  const width = Math.max(...LINT_RULES.map((r) => r.meta.id.length));
  for (const r of LINT_RULES) lines.push(`  ${r.meta.id.padEnd(width)}  ${r.meta.severity.padEnd(8)}  #${r.meta.checklist.join(",#").padEnd(4)}  ${r.meta.title}`);
  lines.push("", "Production checklist items:");
  for (const item of PRODUCTION_CHECKLIST) lines.push(`  ${String(item.number).padStart(2)}. ${item.title}`);
  return `${lines.join("\n")}\n`;
}

export function registerLint(program: Command): void {
  program
    .command("lint")
    .description("check a repository's Dockerfile, compose, Kubernetes and MCP client configs against the production checklist")
    .argument("[dir]", "the repository to check", ".")
    .option("--json [file]", "write the JSON report to the file, or to stdout")
    .option("--sarif [file]", "write a SARIF 2.1.0 report to the file, or to stdout")
    .option("--html <file>", "write a self-contained HTML report")
    .option("--fail-on <level>", "exit 1 when a rule ends at this level or worse: never | warn | fail", "never")
    .option("--no-color", "no ANSI colours in the terminal report")
    .option("--verbose", "print the evidence of passing rules too")
    .option("--list-rules", "print the rules and the checklist items they cover, then exit")
    .action((dir: string, opts: LintCliOptions) => {
      try {
        if (opts.listRules) {
          process.stdout.write(listRules());
          return;
        }
        checkFailOn(opts);
        const report = runLint(dir, SAPPER_VERSION);
        outputReport(report, opts, { root: resolve(dir) });
      } catch (err) {
        if (!isSapperError(err)) throw err;
        process.stderr.write(`sapper: ${err.message}\n`);
        process.exitCode = ExitCodes.config;
      }
    });
}
