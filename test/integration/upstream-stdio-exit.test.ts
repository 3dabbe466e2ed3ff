// Children must die with the gateway even when it crashes without calling close().
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { isAlive, repoRoot, stdioFixture, waitFor } from "../fixtures/upstream-test-kit.js";

// Two levels below the repository root, as src/upstream is: the code finds package.json at ../../.
const bundleDir = join(repoRoot, ".cache", `upstream-exit-${process.pid}`);

afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

it("kills every pool process when the gateway dies of an uncaught exception", async () => {
  mkdirSync(bundleDir, { recursive: true });
  const scenario = join(bundleDir, "crash-scenario.mjs");
  const bundled = spawnSync(
    join(repoRoot, "node_modules/.bin/rolldown"),
    ["test/fixtures/upstream-crash-scenario.ts", "--format", "esm", "--platform", "node", "--file", scenario],
    { cwd: repoRoot, encoding: "utf8" },
  );
  expect(bundled.status, bundled.stderr).toBe(0);

  // --linger: the servers outlive their stdin, so only an explicit kill ends them.
  const gateway = spawn(process.execPath, [scenario, stdioFixture, "--linger"], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  gateway.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  gateway.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const [code] = (await once(gateway, "exit")) as [number | null];

  expect(stderr).toContain("the gateway crashed");
  expect(code).toBe(1);
  const { pids } = JSON.parse(stdout) as { pids: number[] };
  expect(new Set(pids).size).toBe(2);
  try {
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 2_000, "the pool processes to die");
  } finally {
    for (const pid of pids.filter(isAlive)) process.kill(pid, "SIGKILL");
  }
});
