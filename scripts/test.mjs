// `npm test`: installs what the suite needs (system packages only if missing), runs vitest, and
// prints one closing line `Tests: N passed, N failed` taken from vitest's JSON report.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
const report = `${root}.test-results.json`;

for (const step of ["scripts/setup-test-env.sh"]) {
  const r = spawnSync("bash", [step], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`test setup failed: ${step}`);
    process.exit(r.status ?? 1);
  }
}

if (!existsSync(`${root}dist/cli/main.js`)) {
  const b = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

rmSync(report, { force: true });
const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync("npx", args, { cwd: root, stdio: "inherit", env: { ...process.env, FORCE_COLOR: process.env.CI ? "0" : process.env.FORCE_COLOR } });

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed = r.numPassedTests ?? 0;
  failed = r.numFailedTests ?? 0;
  if ((r.numFailedTestSuites ?? 0) > 0 && failed === 0) failed = r.numFailedTestSuites;
}
console.log(`Tests: ${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
