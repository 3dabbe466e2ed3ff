// The Streamable HTTP upstream against real servers: the session-forgetting fixture and server-everything.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JSONRPCNotification } from "@modelcontextprotocol/server";
import { isSapperError } from "../../src/errors.js";
import { CATALOG_SESSION_ID } from "../../src/upstream/upstream.js";
import { StreamableHttpUpstream } from "../../src/upstream/streamable-http-upstream.js";
import { UpstreamError } from "../../src/upstream/upstream.js";
import {
  everythingServer,
  freePort,
  httpFixture,
  httpSpec,
  metricValue,
  startServerProcess,
  testDeps,
  textOf,
  waitFor,
  type ServerProcess,
  type TestDeps,
} from "../fixtures/upstream-test-kit.js";

interface FixtureStats {
  initialized: number;
  deleted: string[];
  sessions: string[];
  requests: number;
  withKey: number;
}

const HEADERS = { "x-fixture-key": "let-me-in" };
let fixture: ServerProcess;
const started: StreamableHttpUpstream[] = [];

async function startFixtureServer(): Promise<ServerProcess> {
  return startServerProcess([httpFixture], await freePort(), "/mcp", /"port"/);
}

async function stats(server: ServerProcess = fixture): Promise<FixtureStats> {
  return (await (await fetch(`http://127.0.0.1:${server.port}/admin/stats`)).json()) as FixtureStats;
}

async function forgetSessions(): Promise<void> {
  await fetch(`http://127.0.0.1:${fixture.port}/admin/forget`, { method: "POST" });
}

async function startUpstream(url: string, deps: TestDeps = testDeps(), overrides: Record<string, unknown> = {}) {
  const upstream = new StreamableHttpUpstream("web", httpSpec({ url, headers: HEADERS, ...overrides }), deps);
  started.push(upstream);
  await upstream.start();
  return { upstream, deps };
}

function call(upstream: StreamableHttpUpstream, sessionId: string, name: string, args: Record<string, unknown> = {}, onNotification?: (n: JSONRPCNotification) => void) {
  return upstream.request("tools/call", { name, arguments: args }, { sessionId, onNotification });
}

async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

beforeAll(async () => {
  fixture = await startFixtureServer();
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((u) => u.close()));
});

afterAll(async () => {
  await fixture?.stop();
});

describe("streamable HTTP upstream: sessions", () => {
  it("starts by initializing the internal catalog session, sending the configured headers", async () => {
    const before = await stats();
    const { upstream, deps } = await startUpstream(fixture.url);
    expect(upstream.ready).toBe(true);
    expect(upstream.initializeResult?.serverInfo.name).toBe("upstream-http-fixture");
    const tools = (await upstream.request("tools/list", undefined, { sessionId: CATALOG_SESSION_ID })).tools as { name: string }[];
    expect(tools.map((t) => t.name)).toContain("whoami");
    const after = await stats();
    expect(after.initialized - before.initialized).toBe(1);
    expect(after.withKey - before.withKey).toBe(after.requests - before.requests);
    expect(deps.states).toEqual([true]);
    expect(await metricValue(deps.metrics.upstreamUp, { upstream: "web" })).toBe(1);
  });

  it("gives two downstream sessions two upstream sessions and never mixes their notifications", async () => {
    const { upstream, deps } = await startUpstream(fixture.url);
    const idA = textOf(await call(upstream, "A", "whoami"));
    const idB = textOf(await call(upstream, "B", "whoami"));
    expect(idA).not.toBe(idB);
    expect(textOf(await call(upstream, "A", "whoami"))).toBe(idA);

    const toA: JSONRPCNotification[] = [];
    const toB: JSONRPCNotification[] = [];
    await Promise.all([
      call(upstream, "A", "log", { message: "for A" }, (n) => toA.push(n)),
      call(upstream, "B", "log", { message: "for B" }, (n) => toB.push(n)),
    ]);
    expect(toA.map((n) => (n.params as { data?: unknown }).data)).toEqual(["for A"]);
    expect(toB.map((n) => (n.params as { data?: unknown }).data)).toEqual(["for B"]);

    await call(upstream, "B", "log-later", { message: "later for B", delayMs: 100 });
    await waitFor(() => deps.unrouted.length > 0, 5_000, "the unrelated notification");
    expect(deps.unrouted.map((u) => [(u.notification.params as { data?: unknown }).data, u.sessionId])).toEqual([["later for B", "B"]]);
  });

  it("ends the upstream session with DELETE on closeSession, and opens a new one for a later request", async () => {
    const { upstream } = await startUpstream(fixture.url);
    const first = textOf(await call(upstream, "C", "whoami"));
    await upstream.closeSession("C");
    expect((await stats()).deleted).toContain(first);
    const second = textOf(await call(upstream, "C", "whoami"));
    expect(second).not.toBe(first);
  });

  it("re-initializes transparently when the upstream forgot the session during a read", async () => {
    const deps = testDeps();
    const { upstream } = await startUpstream(fixture.url, deps);
    const before = textOf(await call(upstream, "D", "whoami"));
    await forgetSessions();
    const initializedBefore = (await stats()).initialized;
    const tools = (await upstream.request("tools/list", undefined, { sessionId: "D" })).tools as unknown[];
    expect(tools.length).toBeGreaterThan(0);
    expect((await stats()).initialized).toBe(initializedBefore + 1);
    expect(textOf(await call(upstream, "D", "whoami"))).not.toBe(before);
    expect(deps.logs.some((l) => l.msg.includes("the upstream forgot the session (HTTP 404)") && l.sessionId === "D")).toBe(true);
  });

  it("fails a tools/call clearly when the upstream forgot the session, then serves the next call on a new one", async () => {
    const { upstream } = await startUpstream(fixture.url);
    const before = textOf(await call(upstream, "E", "whoami"));
    await forgetSessions();
    const err = await failureOf(call(upstream, "E", "whoami"));
    expect(err.kind).toBe("transport");
    expect(err.data).toMatchObject({ code: "SAPPER_UPSTREAM_SESSION_EXPIRED", httpStatus: 404, upstream: "web" });
    expect(err.message).toContain('upstream "web" forgot its session (HTTP 404) while tools/call was in flight; it was not repeated');
    const after = textOf(await call(upstream, "E", "whoami"));
    expect(after).not.toBe(before);
  });

  it("times out a slow call with the upstream's name", async () => {
    const { upstream } = await startUpstream(fixture.url, testDeps(), { timeoutMs: 200 });
    const err = await failureOf(call(upstream, "F", "slow", { ms: 2_000 }));
    expect(err.kind).toBe("timeout");
    expect(err.message).toContain('upstream "web" did not answer tools/call within 200 ms');
    const after = await upstream.request("tools/call", { name: "whoami", arguments: {} }, { sessionId: "F", timeoutMs: 10_000 });
    expect(textOf(after)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("streamable HTTP upstream: failures", () => {
  it("fails start with the HTTP status when the URL is not an MCP endpoint", async () => {
    const upstream = new StreamableHttpUpstream("web", httpSpec({ url: `http://127.0.0.1:${fixture.port}/not-mcp` }), testDeps());
    const err = await upstream.start().catch((e: unknown) => e);
    expect(isSapperError(err, "SAPPER_UPSTREAM_START_FAILED")).toBe(true);
    expect((err as Error).message).toContain('upstream "web" answered initialize with HTTP 404');
  });

  it("masks configured header values that the upstream echoes in an error", async () => {
    const secret = "Bearer upstream-credential-42";
    const spec = httpSpec({ url: `http://127.0.0.1:${fixture.port}/echo-headers`, headers: { authorization: secret } });
    const deps = testDeps();
    const err = await new StreamableHttpUpstream("web", spec, deps).start().catch((e: unknown) => e);
    expect(isSapperError(err, "SAPPER_UPSTREAM_START_FAILED")).toBe(true);
    expect((err as Error).message).toContain("answered initialize with HTTP 500: internal error");
    expect((err as Error).message).toContain("[redacted]");
    expect((err as Error).message).not.toContain("upstream-credential-42");
    expect(JSON.stringify(deps.logs)).not.toContain("upstream-credential-42");
  });

  it("fails start clearly when nothing listens at the URL", async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    const upstream = new StreamableHttpUpstream("web", httpSpec({ url }), testDeps());
    const err = await upstream.start().catch((e: unknown) => e);
    expect(isSapperError(err, "SAPPER_UPSTREAM_START_FAILED")).toBe(true);
    expect((err as Error).message).toContain(`upstream "web" at ${url} could not be initialized`);
    expect((err as Error).message).toContain("is unreachable (ECONNREFUSED)");
  });

  it("reports a server that went away as unavailable and marks the upstream down", async () => {
    const own = await startFixtureServer();
    try {
      const deps = testDeps();
      const { upstream } = await startUpstream(own.url, deps);
      expect(textOf(await call(upstream, "G", "whoami"))).not.toBe("");
      await own.stop();
      const err = await failureOf(call(upstream, "G", "whoami"));
      expect(err.kind).toBe("unavailable");
      expect(err.message).toContain('upstream "web" is unreachable (ECONNREFUSED)');
      expect(upstream.ready).toBe(false);
      expect(deps.states).toEqual([true, false]);
      expect(await metricValue(deps.metrics.upstreamUp, { upstream: "web" })).toBe(0);
    } finally {
      await own.stop();
    }
  });
});

describe("streamable HTTP upstream: server-everything", () => {
  let everything: ServerProcess;

  beforeAll(async () => {
    everything = await startServerProcess([everythingServer, "streamableHttp"], await freePort(), "/mcp", /listening on port/);
  });

  afterAll(async () => {
    await everything?.stop();
  });

  it("lists and calls tools, and delivers each session's progress to its own caller", async () => {
    const { upstream } = await startUpstream(everything.url);
    const tools = (await upstream.request("tools/list", undefined, { sessionId: CATALOG_SESSION_ID })).tools as { name: string }[];
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["echo", "trigger-long-running-operation"]));
    expect(textOf(await call(upstream, "H", "echo", { message: "hello" }))).toBe("Echo: hello");

    const runs = [2, 3].map(async (steps, i) => {
      const progress: JSONRPCNotification[] = [];
      const result = await upstream.request(
        "tools/call",
        { name: "trigger-long-running-operation", arguments: { duration: 0.3, steps }, _meta: { progressToken: "same-token" } },
        { sessionId: `session-${i}`, onNotification: (n) => progress.push(n) },
      );
      return { steps, text: textOf(result), progress };
    });
    for (const { steps, text, progress } of await Promise.all(runs)) {
      expect(text).toContain(`Steps: ${steps}.`);
      expect(progress.map((n) => [n.params?.progressToken, n.params?.progress, n.params?.total])).toEqual(
        Array.from({ length: steps }, (_, k) => ["same-token", k + 1, steps]),
      );
    }
  });
});
