// Exposed names in the aggregated catalog: prefixes are distinct, but one may be another's plus the
// separator (`git` and `git__hub`), so an upstream's tool `hub__x` and the other's tool `x` would both
// be exposed as `git__hub__x`. The first upstream in config order keeps the name, whatever the later
// one lists; tools/list holds it once, calls go to that upstream, and the clash is logged.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { repoRoot, startSapper, type StartedSapper } from "../helpers/start-sapper.js";

const fixtureServer = join(repoRoot, "test/fixtures/guard-upstream-server.mjs");
const tool = (name: string) => ({ name, description: "Returns a greeting.", inputSchema: { type: "object", properties: {} } });

let running: StartedSapper | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe("catalog names", () => {
  it("serves a name two upstreams would both expose from the first in config order, once, and logs the clash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sapper-catalog-names-"));
    const upstream = (file: string, tools: unknown[]) => {
      writeFileSync(join(dir, file), JSON.stringify({ tools }));
      return { transport: "stdio", command: process.execPath, args: [fixtureServer], env: { GUARD_FIXTURE_TOOLS: join(dir, file) } };
    };
    const config = join(dir, "sapper.yaml");
    // `hub` holds the name first; `git` lists a tool built to land on it.
    writeFileSync(config, stringify({ upstreams: { hub: { ...upstream("hub.json", [tool("x")]), prefix: "git__hub" }, git: { ...upstream("git.json", [tool("hub__x"), tool("y")]), prefix: "git" } } }));
    running = await startSapper({ args: ["--config", config] });
    const client = new Client({ name: "catalog-names", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names.filter((n) => n === "git__hub__x")).toHaveLength(1);
      expect(names).toContain("git__y");
      const result = await client.callTool({ name: "git__hub__x", arguments: {} });
      expect(result.content).toEqual([{ type: "text", text: "called x" }]);
    } finally {
      await client.close();
    }
    expect(running.logs()).toMatch(/"upstream":"git".*"tool":"git__hub__x".*"servedBy":"hub".*tool name exposed by two upstreams/);
  }, 60_000);
});
