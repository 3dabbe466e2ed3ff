// The report flags `sapper audit` and `sapper lint` share, turned into files, stdout and an exit code.
import type { Report } from "../audit/check.js";
import { emitReport, FAIL_ON_LEVELS, useColor } from "../audit/report/emit-report.js";
import type { FailOn } from "../audit/score.js";
import { ExitCodes, SapperError } from "../errors.js";

export interface ReportFlags {
  json?: string | boolean;
  sarif?: string | boolean;
  html?: string;
  failOn: string;
  color?: boolean;
  verbose?: boolean;
}

export function checkFailOn(flags: ReportFlags): void {
  if (!FAIL_ON_LEVELS.includes(flags.failOn as FailOn)) throw new SapperError("SAPPER_CLI_USAGE", `--fail-on must be one of ${FAIL_ON_LEVELS.join(", ")}`);
}

/** Writes the requested reports; sets exit code 1 when --fail-on is reached. */
export function outputReport(report: Report, flags: ReportFlags, extra: { root?: string; sarifArtifact?: string } = {}): void {
  const breached = emitReport(
    report,
    {
      json: flags.json,
      sarif: flags.sarif,
      html: flags.html,
      ...extra,
      color: useColor(flags.color, process.stdout),
      verbose: flags.verbose === true,
      failOn: flags.failOn as FailOn,
    },
    { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
  );
  if (breached) process.exitCode = ExitCodes.findings;
}
