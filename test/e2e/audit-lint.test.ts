// `sapper lint` end to end: the real CLI on fixture repositories. The good repository passes every
// rule; each mistake repository is the good one with exactly one mistake, and exactly that rule says so.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/audit/check.js";
import { stripJsonc } from "../../src/audit/lint/client-config.js";
import { repoRoot, sapperBin } from "../helpers/start-sapper.js";

const fixtures = join(repoRoot, "test/fixtures/audit/lint");
const good = join(fixtures, "good");
const mistakes = readdirSync(join(fixtures, "mistakes"));

interface Mistake {
  rule: string;
  status: "fail" | "warn";
  delete?: string[];
}

function lint(dir: string, ...args: string[]): { status: number | null; report: Report; stderr: string } {
  const r = spawnSync(process.execPath, [sapperBin, "lint", dir, "--json", ...args], { cwd: repoRoot, encoding: "utf8", timeout: 30_000 });
  if (!r.stdout) throw new Error(`sapper lint printed nothing: ${r.stderr}`);
  return { status: r.status, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

/** The good repository with one mistake applied, in a temporary directory. */
function withMistake(name: string): { dir: string; mistake: Mistake } {
  const dir = mkdtempSync(join(tmpdir(), `sapper-lint-${name}-`));
  cpSync(good, dir, { recursive: true });
  cpSync(join(fixtures, "mistakes", name), dir, { recursive: true });
  const mistake = JSON.parse(readFileSync(join(dir, "mistake.json"), "utf8")) as Mistake;
  rmSync(join(dir, "mistake.json"));
  for (const f of mistake.delete ?? []) rmSync(join(dir, f));
  return { dir, mistake };
}

let baseline: Report | undefined;
/** The good repository's report, computed once. */
function goodReport(): Report {
  baseline ??= lint(good).report;
  return baseline;
}

const key = (r: Report["results"][number]) => `${r.id} ${r.location?.file ?? ""}:${r.location?.line ?? ""} ${r.status}`;

describe("sapper lint on fixture repositories", () => {
  it("passes every rule on the good repository and exits 0 with --fail-on warn", () => {
    const { status, report } = lint(good, "--fail-on", "warn");
    expect(status).toBe(0);
    expect(report.results.filter((r) => r.status !== "pass").map(key)).toEqual([]);
    expect(new Set(report.results.map((r) => r.id))).toEqual(new Set(report.checks.map((c) => c.id)));
  });

  it.each(mistakes)("flags the %s mistake with its rule only", (name) => {
    const { dir, mistake } = withMistake(name);
    try {
      const { status, report } = lint(dir, "--fail-on", mistake.status);
      const flagged = report.results.filter((r) => r.status !== "pass");
      expect(flagged.map((r) => [r.id, r.status])).toEqual([[mistake.rule, mistake.status]]);
      expect(flagged[0]!.location?.file).toBeTruthy();
      expect(status).toBe(1);
      const unchanged = goodReport().results.filter((r) => r.id !== mistake.rule).map((r) => `${r.id} ${r.status}`);
      expect(report.results.filter((r) => r.id !== mistake.rule).map((r) => `${r.id} ${r.status}`)).toEqual(unchanged);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never prints an inline secret it found", () => {
    const { dir } = withMistake("client-inline-secret");
    try {
      const config = JSON.parse(stripJsonc(readFileSync(join(dir, ".vscode/mcp.json"), "utf8"))) as { servers: { github: { env: Record<string, string> } } };
      const secret = config.servers.github.env.GITHUB_PERSONAL_ACCESS_TOKEN!;
      expect(secret).toMatch(/^[0-9a-f]{40}$/);
      for (const format of [["--json"], ["--sarif"], ["--verbose"]]) {
        const r = spawnSync(process.execPath, [sapperBin, "lint", dir, ...format], { cwd: repoRoot, encoding: "utf8" });
        expect(r.stdout + r.stderr).not.toContain(secret);
        expect(r.stdout + r.stderr).toContain("…(40 chars)");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes SARIF and HTML files and refuses a directory that does not exist", () => {
    const out = mkdtempSync(join(tmpdir(), "sapper-lint-out-"));
    try {
      const { dir } = withMistake("dockerfile-runs-as-root");
      const r = spawnSync(process.execPath, [sapperBin, "lint", dir, "--sarif", join(out, "lint.sarif"), "--html", join(out, "lint.html"), "--no-color"], { cwd: repoRoot, encoding: "utf8" });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/FAIL {2}dockerfile\.non-root +\[high\] Dockerfile:2/);
      const sarif = JSON.parse(readFileSync(join(out, "lint.sarif"), "utf8")) as { runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
      expect(sarif.runs[0]!.results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.region.startLine])).toEqual([["dockerfile.non-root", 2]]);
      expect(existsSync(join(out, "lint.html"))).toBe(true);
      rmSync(dir, { recursive: true, force: true });

      const missing = spawnSync(process.execPath, [sapperBin, "lint", join(out, "nope")], { cwd: repoRoot, encoding: "utf8" });
      expect(missing.status).toBe(2);
      expect(missing.stderr).toMatch(/SAPPER_LINT_DIR_NOT_FOUND: .*nope is not a directory/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
