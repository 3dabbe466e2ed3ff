// The catalog's reloads of one upstream: each builds on the one before it, in the order asked.
import { describe, expect, it } from "vitest";
import { Catalog } from "../../src/gateway/catalog.js";
import { allowAllGuard } from "../../src/guard/tool-guard.js";
import { createLogger } from "../../src/telemetry/logger.js";
import type { Upstream } from "../../src/upstream/upstream.js";

/**
 * An upstream whose lists the test changes. It answers `tools/list` with the list as it was when
 * asked, after the next of `toolsDelaysMs` (0 once they are used up), and `prompts/list` at once.
 */
function upstream(...toolsDelaysMs: number[]) {
  const state = { tools: ["t1"], prompts: ["p1"] };
  const u = {
    name: "up",
    initializeResult: { protocolVersion: "2025-06-18", capabilities: { tools: {}, prompts: {} }, serverInfo: { name: "up", version: "1" } },
    async request(method: string) {
      if (method === "tools/list") {
        const tools = state.tools.map((name) => ({ name, inputSchema: { type: "object" } }));
        await new Promise((r) => setTimeout(r, toolsDelaysMs.shift() ?? 0));
        return { tools };
      }
      if (method === "prompts/list") return { prompts: state.prompts.map((name) => ({ name })) };
      return {};
    },
  } as unknown as Upstream;
  const catalog = new Catalog([{ name: "up", upstream: u, prefix: "up", tools: { exclude: [] } }], "__", allowAllGuard, createLogger("silent"));
  return { state, catalog };
}

describe("catalog reloads", () => {
  it("applies a tools reload and a prompts reload asked for together, though the tools answer comes last", async () => {
    const { state, catalog } = upstream(0, 50);
    await catalog.load("up");
    state.tools.push("t2");
    state.prompts.push("p2");
    await Promise.all([catalog.load("up", ["tools"]), catalog.load("up", ["prompts"])]);
    expect(catalog.tools.map((t) => t.name)).toEqual(["up__t1", "up__t2"]);
    expect(catalog.prompts.map((p) => p.name)).toEqual(["up__p1", "up__p2"]);
  });

  it("never lets a slow answer to an older reload replace a newer list", async () => {
    const { state, catalog } = upstream(0, 50);
    await catalog.load("up");
    state.tools.push("t2");
    const older = catalog.load("up", ["tools"]);
    // The older reload has asked (and waits 50 ms for its answer) when the list changes again.
    await new Promise((r) => setTimeout(r, 10));
    state.tools.push("t3");
    await Promise.all([older, catalog.load("up", ["tools"])]);
    expect(catalog.tools.map((t) => t.name)).toEqual(["up__t1", "up__t2", "up__t3"]);
  });
});
