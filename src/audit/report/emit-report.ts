// Writes a report in every format the user asked for (terminal, --json, --sarif, --html; a format
// without a file goes to stdout) and decides the exit code from --fail-on. Shared by audit and lint.
import { writeFileSync } from "node:fs";
import type { Report } from "../check.js";
import { breaches, type FailOn } from "../score.js";
import { renderHtml } from "./html-report.js";
import { renderSarif } from "./sarif-report.js";
import { renderText } from "./text-report.js";

export interface EmitOptions {
  /** true = stdout, a string = that file. */
  json?: string | boolean | undefined;
  sarif?: string | boolean | undefined;
  html?: string | undefined;
  sarifArtifact?: string | undefined;
  /** Absolute path of the linted directory (SARIF base for lint locations). */
  root?: string | undefined;
  color: boolean;
  verbose: boolean;
  failOn: FailOn;
}

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const FAIL_ON_LEVELS: readonly FailOn[] = ["never", "warn", "fail"];

/** Writes the report; returns true when --fail-on says the command must exit non-zero. */
export function emitReport(report: Report, options: EmitOptions, out: Output): boolean {
  const toStdout = options.json === true || options.sarif === true;
  if (options.json !== undefined && options.json !== false) {
    const text = `${JSON.stringify(report, null, 2)}\n`;
    if (options.json === true) out.stdout(text);
    else writeFileSync(options.json, text);
  }
  if (options.sarif !== undefined && options.sarif !== false) {
    const text = `${JSON.stringify(renderSarif(report, { artifact: options.sarifArtifact, root: options.root }), null, 2)}\n`;
    if (options.sarif === true) out.stdout(text);
    else writeFileSync(options.sarif, text);
  }
  if (options.html) writeFileSync(options.html, renderHtml(report));
  const text = renderText(report, { color: options.color, verbose: options.verbose });
  if (toStdout) out.stderr(text);
  else out.stdout(text);
  for (const [flag, file] of [["--json", options.json], ["--sarif", options.sarif], ["--html", options.html]] as const) {
    if (typeof file === "string") out.stderr(`${flag} report written to ${file}\n`);
  }
  return breaches(report.results, options.failOn);
}

export function useColor(flag: boolean | undefined, stream: NodeJS.WriteStream): boolean {
  if (flag === false || process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}
