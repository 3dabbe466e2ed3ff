// The command-line contract: help, version, exit codes and messages, readiness, graceful shutdown.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSession, rawPost, responseTo } from "../helpers/mcp-http.js";
import { repoRoot, sapperBin, startSapper } from "../helpers/start-sapper.js";

const fixture = "test/fixtures/gateway-fixture-server.mjs";
const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };

function sapper(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [sapperBin, ...args], { cwd: repoRoot, env: { ...process.env, ...env }, encoding: "utf8", timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function configFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "sapper-cli-")), "sapper.yaml");
  writeFileSync(file, yaml);
  return file;
}

const needsToken = `upstreams:
  github:
    transport: stdio
    command: node
    args: [${fixture}]
    env:
      GITHUB_TOKEN: \${env:GITHUB_MCP_TOKEN}
`;

describe("sapper CLI", () => {
  it("prints its version and help", () => {
    expect(sapper(["--version"]).stdout.trim()).toBe(pkg.version);
    const help = sapper(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/serve/);
    expect(help.stdout).toMatch(/check-env/);
    expect(sapper(["serve", "--help"]).stdout).toMatch(/-- COMMAND/);
  });

  it("exits 2 with a usage message when there is nothing to serve", () => {
    const r = sapper(["serve"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SAPPER_CLI_USAGE: nothing to serve/);
  });

  it("refuses to start when a referenced variable is missing, naming it and the upstream", () => {
    const r = sapper(["serve", "--config", configFile(needsToken)], { GITHUB_MCP_TOKEN: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('upstream "github" needs GITHUB_MCP_TOKEN');
  });

  it("check-env validates only the config and its variables", () => {
    const file = configFile(needsToken);
    const bad = sapper(["check-env", "--config", file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("GITHUB_MCP_TOKEN");
    const good = sapper(["check-env", "--config", file], { GITHUB_MCP_TOKEN: "t0ken-value" });
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/ok/);
    expect(good.stdout + good.stderr).not.toContain("t0ken-value");
  });

  it("names the bad field of an invalid config", () => {
    const r = sapper(["serve", "--config", configFile("upstreams:\n  a:\n    transport: carrier-pigeon\n")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/upstreams\.a\.transport/);
  });

  it("exits 3 with a clear message when an upstream cannot be started", () => {
    const r = sapper(["serve", "--port", "0", "--host", "127.0.0.1", "--", "/nonexistent/mcp-server-binary"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot start.*default/i);
  });

  it("serves one stdio command with unprefixed names, health and readiness", async () => {
    const s = await startSapper({ args: ["--", process.execPath, fixture] });
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      expect((await fetch(`${s.origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${s.origin}/readyz`)).status).toBe(200);
      const session = await openSession(s.url);
      const r = await rawPost(s.url, { jsonrpc: "2.0", id: 1, method: "tools/list" }, { "mcp-session-id": session });
      const names = ((responseTo(r, 1)?.result as { tools: Array<{ name: string }> }).tools).map((t) => t.name);
      expect(names).toContain("echo");
    } finally {
      await s.stop();
    }
  });

  it("finishes an in-flight call on SIGTERM, then exits 0", async () => {
    const s = await startSapper({ args: ["--", process.execPath, fixture] });
    const session = await openSession(s.url);
    const inFlight = rawPost(s.url, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "slow", arguments: { ms: 700 } } }, { "mcp-session-id": session });
    await new Promise((r) => setTimeout(r, 150));
    const exited = s.stop("SIGTERM");
    const r = await inFlight;
    expect(JSON.stringify(responseTo(r, 1)?.result)).toContain("done");
    expect(await exited).toBe(0);
    expect(s.logs()).toMatch(/shutdown complete/);
  });
});
