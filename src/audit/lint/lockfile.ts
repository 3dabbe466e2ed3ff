// Every package manifest has a lock file beside it or in an ancestor directory (workspaces), so the
// image installs exactly what was reviewed.
import { posix } from "node:path";
import type { LintFinding, LintRule } from "./lint-rule.js";

const ECOSYSTEMS: { manifest: string; locks: string[]; hint: string }[] = [
  { manifest: "package.json", locks: ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb"], hint: "npm install (commit package-lock.json) and build with npm ci" },
  { manifest: "pyproject.toml", locks: ["uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock", "requirements.lock"], hint: "uv lock (or poetry lock) and commit the lock file" },
  { manifest: "Cargo.toml", locks: ["Cargo.lock"], hint: "commit Cargo.lock" },
  { manifest: "go.mod", locks: ["go.sum"], hint: "go mod tidy and commit go.sum" },
  { manifest: "Gemfile", locks: ["Gemfile.lock"], hint: "bundle lock and commit Gemfile.lock" },
];

function ancestors(dir: string): string[] {
  const out = [dir];
  let d = dir;
  while (d !== ".") {
    d = posix.dirname(d);
    out.push(d);
  }
  return out;
}

export const lockfile: LintRule = {
  meta: {
    id: "repository.lockfile",
    family: "repository",
    title: "Lock file present",
    severity: "medium",
    checklist: [15],
    description: "Every package manifest (package.json, pyproject.toml, Cargo.toml, go.mod, Gemfile) has its lock file beside it or in a parent workspace.",
    fix: "Generate and commit the lock file, and install from it (npm ci, uv sync --frozen, cargo build --locked).",
  },
  appliesTo: "package manifest",
  run(repo) {
    const out: LintFinding[] = [];
    for (const eco of ECOSYSTEMS) {
      for (const manifest of repo.find((_, base) => base === eco.manifest)) {
        const dir = posix.dirname(manifest);
        const found = ancestors(dir)
          .flatMap((d) => eco.locks.map((l) => (d === "." ? l : `${d}/${l}`)))
          .find((f) => repo.has(f));
        if (found) out.push({ status: "pass", summary: `${manifest} is locked by ${found}`, location: { file: manifest } });
        else out.push({ status: "fail", summary: `${manifest} has no lock file (${eco.locks.slice(0, 3).join(", ")}…): builds install whatever is newest`, location: { file: manifest }, data: { hint: eco.hint } });
      }
    }
    return out;
  },
};
