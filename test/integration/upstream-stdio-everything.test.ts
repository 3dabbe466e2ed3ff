// The stdio upstream against the real server-everything: concurrency, progress and server-to-client requests.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JSONRPCNotification, JSONRPCRequest } from "@modelcontextprotocol/server";
import { StdioUpstream } from "../../src/upstream/stdio-upstream.js";
import { everythingServer, metricValue, stdioSpec, testDeps, textOf, waitFor, type TestDeps } from "../fixtures/upstream-test-kit.js";

let upstream: StdioUpstream;
let deps: TestDeps;

beforeAll(async () => {
  deps = testDeps();
  upstream = new StdioUpstream("everything", stdioSpec({ args: [everythingServer, "stdio"] }), deps);
  await upstream.start();
});

afterAll(async () => {
  await upstream?.close();
});

describe("stdio upstream (server-everything)", () => {
  it("refuses the server's idle roots/list, which no call in flight can answer, and counts it", async () => {
    // server-everything asks for roots 350 ms after initialization, while nothing is in flight.
    await waitFor(
      async () => (await metricValue(deps.metrics.notificationsDropped, { upstream: "everything", method: "roots/list" })) === 1,
      5_000,
      "the roots/list request",
    );
    expect(deps.logs.some((l) => l.level === 40 && l.method === "roots/list" && l.inFlight === 0)).toBe(true);
  });

  it("gives each of 50 concurrent callers with the same progress token its own result and progress", async () => {
    const calls = Array.from({ length: 50 }, async (_, i) => {
      const duration = 0.05 * (1 + (i % 5));
      const steps = 1 + (i % 4);
      const progress: JSONRPCNotification[] = [];
      const result = await upstream.request(
        "tools/call",
        { name: "trigger-long-running-operation", arguments: { duration, steps }, _meta: { progressToken: 7 } },
        { sessionId: `session-${i}`, onNotification: (n) => progress.push(n) },
      );
      return { duration, steps, text: textOf(result), progress };
    });
    for (const { duration, steps, text, progress } of await Promise.all(calls)) {
      expect(text).toBe(`Long running operation completed. Duration: ${duration} seconds, Steps: ${steps}.`);
      expect(progress.map((n) => [n.params?.progressToken, n.params?.progress, n.params?.total])).toEqual(
        Array.from({ length: steps }, (_, k) => [7, k + 1, steps]),
      );
    }
  });

  it("relays the server's sampling request to the calling client and its answer back", async () => {
    const asked: JSONRPCRequest[] = [];
    const result = await upstream.request(
      "tools/call",
      { name: "trigger-sampling-request", arguments: { prompt: "say hi" } },
      {
        sessionId: "sampler",
        onRequest: async (request) => {
          asked.push(request);
          return { role: "assistant", content: { type: "text", text: "hi from the client's model" }, model: "client-model" };
        },
      },
    );
    expect(asked.map((r) => r.method)).toEqual(["sampling/createMessage"]);
    expect(JSON.stringify(asked[0].params)).toContain("say hi");
    expect(textOf(result)).toContain("hi from the client's model");
  });

  it("relays an elicitation and the client's decline", async () => {
    const result = await upstream.request(
      "tools/call",
      { name: "trigger-elicitation-request", arguments: {} },
      { sessionId: "elicited", onRequest: async (request) => (request.method === "elicitation/create" ? { action: "decline" } : {}) },
    );
    expect(textOf(result)).toContain("User declined to provide the requested information.");
  });
});
