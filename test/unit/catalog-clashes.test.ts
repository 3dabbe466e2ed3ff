// Name and URI clashes between upstreams are logged when they appear, not again at every rebuild
// of the catalog (any upstream's list_changed rebuilds it) while they last.
import { describe, expect, it } from "vitest";
import { Catalog } from "../../src/gateway/catalog.js";
import { allowAllGuard } from "../../src/guard/tool-guard.js";
import { createLogger } from "../../src/telemetry/logger.js";
import type { Upstream } from "../../src/upstream/upstream.js";

function upstream(name: string, lists: { tools: string[]; resources: string[] }): Upstream {
  return {
    name,
    initializeResult: { protocolVersion: "2025-06-18", capabilities: { tools: {}, resources: {} }, serverInfo: { name, version: "1" } },
    async request(method: string) {
      if (method === "tools/list") return { tools: lists.tools.map((t) => ({ name: t, inputSchema: { type: "object" } })) };
      if (method === "resources/list") return { resources: lists.resources.map((uri) => ({ uri, name: uri })) };
      return {};
    },
  } as unknown as Upstream;
}

describe("catalog clashes", () => {
  it("logs each clash once while it lasts, and again when it comes back after going away", async () => {
    const lines: Array<{ msg: string; upstream: string; tool?: string; uri?: string; servedBy: string }> = [];
    const logger = createLogger("warn", { write: (s: string) => void lines.push(JSON.parse(s)) });
    // `hub` (prefix git__hub) exposes git__hub__x first; `git` (prefix git) lists hub__x, which lands on it.
    const hub = { tools: ["x"], resources: ["file:///shared"] };
    const git = { tools: ["hub__x", "y"], resources: ["file:///shared"] };
    const catalog = new Catalog(
      [
        { name: "hub", upstream: upstream("hub", hub), prefix: "git__hub", tools: { exclude: [] } },
        { name: "git", upstream: upstream("git", git), prefix: "git", tools: { exclude: [] } },
      ],
      "__",
      allowAllGuard,
      logger,
    );
    const clashes = () => lines.map((l) => `${l.upstream} ${l.tool ?? l.uri} ${l.servedBy}`);

    await catalog.load("hub");
    await catalog.load("git");
    expect(clashes()).toEqual(["git git__hub__x hub", "git file:///shared hub"]);
    expect(lines[0]!.msg).toMatch(/tool name exposed by two upstreams/);
    expect(lines[1]!.msg).toMatch(/resource URI listed by two upstreams/);

    // Reloads that leave the clashes as they are log nothing more.
    for (let i = 0; i < 3; i++) {
      await catalog.load("hub");
      await catalog.load("git", ["tools"]);
    }
    expect(clashes()).toHaveLength(2);

    // The tool clash goes away (git drops hub__x) and comes back: logged again then, the resource clash not.
    git.tools = ["y"];
    await catalog.load("git", ["tools"]);
    expect(catalog.tools.map((t) => t.name)).toEqual(["git__hub__x", "git__y"]);
    git.tools = ["hub__x", "y"];
    await catalog.load("git", ["tools"]);
    expect(clashes()).toEqual(["git git__hub__x hub", "git file:///shared hub", "git git__hub__x hub"]);
  });
});
