// The official MCP conformance suite (all active 2025-11-25 server scenarios) against our fixture served
// directly, then through Sapper with the fixture as a stdio upstream and as a Streamable HTTP upstream.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeFailures, describeScenario, runConformance, startConformanceFixture, type ConformanceRun, type StartedFixture } from "../helpers/conformance.js";
import { startSapper, type StartOptions } from "../helpers/start-sapper.js";

const SUITE_TIMEOUT_MS = 120_000;

const statusByScenario = (run: ConformanceRun) => Object.fromEntries(run.scenarios.map((s) => [s.name, s.status]));

async function runThroughSapper(options: StartOptions): Promise<ConformanceRun> {
  const sapper = await startSapper(options);
  try {
    return await runConformance(sapper.url, { timeoutMs: SUITE_TIMEOUT_MS });
  } finally {
    await sapper.stop();
  }
}

describe("MCP conformance", () => {
  let fixture: StartedFixture;
  let direct: ConformanceRun;

  beforeAll(async () => {
    fixture = await startConformanceFixture();
    direct = await runConformance(fixture.url, { timeoutMs: SUITE_TIMEOUT_MS });
  }, SUITE_TIMEOUT_MS + 20_000);

  afterAll(async () => {
    await fixture?.stop();
  });

  it("the fixture served directly passes every active server scenario", () => {
    expect(direct.scenarios.length).toBeGreaterThan(0);
    for (const scenario of direct.scenarios) expect.soft(scenario.status, describeScenario(scenario)).toBe("passed");
  });

  it(
    "through Sapper with the fixture as a stdio upstream, results match the direct run",
    async () => {
      const run = await runThroughSapper({ args: ["--", process.execPath, "test/fixtures/conformance-server.mjs", "stdio"] });
      expect(statusByScenario(run), `through Sapper (stdio):\n${describeFailures(run)}`).toEqual(statusByScenario(direct));
    },
    SUITE_TIMEOUT_MS + 60_000,
  );

  it(
    "through Sapper with the fixture as a streamable-http upstream, results match the direct run",
    async () => {
      const run = await runThroughSapper({
        config: {
          namespacing: { separator: "__" },
          upstreams: { conformance: { transport: "streamable-http", url: fixture.url, prefix: false } },
        },
      });
      expect(statusByScenario(run), `through Sapper (streamable-http):\n${describeFailures(run)}`).toEqual(statusByScenario(direct));
    },
    SUITE_TIMEOUT_MS + 60_000,
  );
});
