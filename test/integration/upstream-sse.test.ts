// The legacy HTTP+SSE upstream against the real server-everything in `sse` mode.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JSONRPCNotification } from "@modelcontextprotocol/server";
import { isSapperError } from "../../src/errors.js";
import { CATALOG_SESSION_ID } from "../../src/upstream/upstream.js";
import { SseUpstream } from "../../src/upstream/sse-upstream.js";
import { UpstreamError } from "../../src/upstream/upstream.js";
import { everythingServer, freePort, httpSpec, startServerProcess, testDeps, textOf, waitFor, type ServerProcess } from "../fixtures/upstream-test-kit.js";

let everything: ServerProcess;
const started: SseUpstream[] = [];

function startEverything(): Promise<ServerProcess> {
  return freePort().then((port) => startServerProcess([everythingServer, "sse"], port, "/sse", /Server is running on port/));
}

async function startUpstream(url: string, deps = testDeps()) {
  const upstream = new SseUpstream("legacy", httpSpec({ transport: "sse", url }), deps);
  started.push(upstream);
  await upstream.start();
  return { upstream, deps };
}

function call(upstream: SseUpstream, sessionId: string, name: string, args: Record<string, unknown> = {}) {
  return upstream.request("tools/call", { name, arguments: args }, { sessionId });
}

/** server-everything's logging toggle answers with the id of the server session it ran in. */
async function serverSessionOf(upstream: SseUpstream, sessionId: string): Promise<string> {
  const started = textOf(await call(upstream, sessionId, "toggle-simulated-logging"));
  await call(upstream, sessionId, "toggle-simulated-logging");
  const match = /for session (\S+?)\.? /.exec(started);
  expect(match).not.toBeNull();
  return (match as RegExpExecArray)[1];
}

beforeAll(async () => {
  everything = await startEverything();
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((u) => u.close()));
});

afterAll(async () => {
  await everything?.stop();
});

describe("SSE upstream (server-everything)", () => {
  it("initializes, lists tools and calls one", async () => {
    const { upstream, deps } = await startUpstream(everything.url);
    expect(upstream.ready).toBe(true);
    expect(deps.states).toEqual([true]);
    expect(upstream.initializeResult?.capabilities.tools).toBeDefined();
    const tools = (await upstream.request("tools/list", undefined, { sessionId: CATALOG_SESSION_ID })).tools as { name: string }[];
    expect(tools.map((t) => t.name)).toContain("echo");
    expect(textOf(await call(upstream, "A", "echo", { message: "over SSE" }))).toBe("Echo: over SSE");
  });

  it("opens one SSE connection per downstream session and closes it with the session", async () => {
    const { upstream } = await startUpstream(everything.url);
    const a = await serverSessionOf(upstream, "A");
    const b = await serverSessionOf(upstream, "B");
    expect(a).not.toBe(b);
    expect(await serverSessionOf(upstream, "A")).toBe(a);
    await upstream.closeSession("A");
    await waitFor(() => everything.output().includes(`Client Disconnected:  ${a}`), 5_000, "the server to see the stream close");
    expect(await serverSessionOf(upstream, "A")).not.toBe(a);
  });

  it("delivers progress with the caller's own token", async () => {
    const { upstream } = await startUpstream(everything.url);
    const progress: JSONRPCNotification[] = [];
    const result = await upstream.request(
      "tools/call",
      { name: "trigger-long-running-operation", arguments: { duration: 0.2, steps: 2 }, _meta: { progressToken: "mine" } },
      { sessionId: "P", onNotification: (n) => progress.push(n) },
    );
    expect(textOf(result)).toContain("Steps: 2.");
    expect(progress.map((n) => [n.params?.progressToken, n.params?.progress])).toEqual([
      ["mine", 1],
      ["mine", 2],
    ]);
  });

  it("fails start clearly when nothing listens at the URL", async () => {
    const url = `http://127.0.0.1:${await freePort()}/sse`;
    const err = await new SseUpstream("legacy", httpSpec({ transport: "sse", url }), testDeps()).start().catch((e: unknown) => e);
    expect(isSapperError(err, "SAPPER_UPSTREAM_START_FAILED")).toBe(true);
    expect((err as Error).message).toContain(`upstream "legacy" at ${url} could not be initialized`);
  });

  it("fails the call in flight when the server goes away, and reports it unavailable afterwards", async () => {
    const own = await startEverything();
    try {
      const { upstream } = await startUpstream(own.url);
      expect(textOf(await call(upstream, "Z", "echo", { message: "up" }))).toBe("Echo: up");
      const pending = call(upstream, "Z", "trigger-long-running-operation", { duration: 5, steps: 5 }).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await own.stop();
      const inFlight = await pending;
      expect(inFlight).toBeInstanceOf(UpstreamError);
      expect((inFlight as UpstreamError).kind).toBe("crashed");
      expect((inFlight as UpstreamError).message).toContain('upstream "legacy" dropped its event stream while the request was in flight');
      const later = await call(upstream, "Z", "echo", { message: "down" }).catch((e: unknown) => e);
      expect((later as UpstreamError).kind).toBe("unavailable");
      expect((later as UpstreamError).message).toContain('upstream "legacy"');
    } finally {
      await own.stop();
    }
  });
});
