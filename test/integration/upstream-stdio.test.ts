// The stdio upstream against real child processes: the fixture server in test/fixtures and its misbehaviours.
import { afterEach, describe, expect, it } from "vitest";
import { isSapperError } from "../../src/errors.js";
import { StdioUpstream } from "../../src/upstream/stdio-upstream.js";
import { UpstreamError, type UpstreamCallContext } from "../../src/upstream/upstream.js";
import type { JSONRPCNotification } from "@modelcontextprotocol/server";
import { isAlive, metricValue, stdioFixture, stdioSpec, testDeps, textOf, waitFor, type TestDeps } from "../fixtures/upstream-test-kit.js";

const SESSION = "session-1";
const started: StdioUpstream[] = [];

async function startFixture(overrides: Parameters<typeof stdioSpec>[0] = {}, deps: TestDeps = testDeps()) {
  const upstream = new StdioUpstream("fx", stdioSpec(overrides), deps);
  started.push(upstream);
  await upstream.start();
  return { upstream, deps };
}

function call(upstream: StdioUpstream, name: string, args: Record<string, unknown> = {}, ctx: Partial<UpstreamCallContext> = {}) {
  return upstream.request("tools/call", { name, arguments: args }, { sessionId: SESSION, ...ctx });
}

async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

async function pidOf(upstream: StdioUpstream): Promise<number> {
  return Number(textOf(await call(upstream, "pid")));
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((u) => u.close()));
});

describe("stdio upstream: start-up", () => {
  it("initializes the server and exposes its initialize result", async () => {
    const { upstream, deps } = await startFixture();
    expect(upstream.ready).toBe(true);
    expect(upstream.initializeResult?.serverInfo.name).toBe("upstream-stdio-fixture");
    expect(upstream.initializeResult?.protocolVersion).toBe("2025-11-25");
    expect(deps.states).toEqual([true]);
    expect(await metricValue(deps.metrics.upstreamUp, { upstream: "fx" })).toBe(1);
  });

  it("rejects with SAPPER_UPSTREAM_START_FAILED naming the command when it cannot be spawned", async () => {
    const upstream = new StdioUpstream("ghost", stdioSpec({ command: "sapper-no-such-command", args: [] }), testDeps());
    const err = await upstream.start().catch((e: unknown) => e);
    expect(isSapperError(err, "SAPPER_UPSTREAM_START_FAILED")).toBe(true);
    expect((err as Error).message).toContain('upstream "ghost" could not be started: spawning "sapper-no-such-command" failed');
    expect((err as Error).message).toContain("ENOENT");
    expect(upstream.ready).toBe(false);
  });

  it("reports the exit code and the last stderr lines of a server that exits before initializing", async () => {
    const upstream = new StdioUpstream("broken", stdioSpec({ args: [stdioFixture, "--fail-start"] }), testDeps());
    const err = await upstream.start().catch((e: unknown) => e);
    expect(isSapperError(err, "SAPPER_UPSTREAM_START_FAILED")).toBe(true);
    expect((err as Error).message).toContain('upstream "broken" exited (code 1) before it finished initializing');
    expect((err as Error).message).toContain("fixture: missing configuration FIXTURE_API_URL");
  });

  it("gives up after startTimeoutMs on a server that never answers initialize, and kills it", async () => {
    const upstream = new StdioUpstream("mute", stdioSpec({ args: [stdioFixture, "--silent-start"], startTimeoutMs: 300 }), testDeps());
    const t0 = Date.now();
    const err = await upstream.start().catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(isSapperError(err, "SAPPER_UPSTREAM_START_FAILED")).toBe(true);
    expect((err as Error).message).toContain('upstream "mute" did not initialize within 300 ms');
  });

  it("passes only a minimal environment plus the configured env, and masks configured values in stderr logs", async () => {
    process.env.SAPPER_TEST_GATEWAY_SECRET = "gateway-only-secret";
    try {
      const deps = testDeps();
      const { upstream } = await startFixture(
        { args: [stdioFixture, "--print-env", "FIXTURE_TOKEN"], env: { FIXTURE_TOKEN: "tok-123456789" } },
        deps,
      );
      expect(textOf(await call(upstream, "env", { name: "SAPPER_TEST_GATEWAY_SECRET" }))).toBe("undefined");
      expect(textOf(await call(upstream, "env", { name: "FIXTURE_TOKEN" }))).toBe("tok-123456789");
      expect(textOf(await call(upstream, "env", { name: "PATH" }))).toBe(process.env.PATH);
      await waitFor(() => deps.logs.some((l) => l.msg === "FIXTURE_TOKEN=[redacted]"), 5_000, "the stderr line");
      expect(JSON.stringify(deps.logs)).not.toContain("tok-123456789");
      expect(deps.logs.find((l) => l.msg === "FIXTURE_TOKEN=[redacted]")?.upstream).toBe("fx");
    } finally {
      delete process.env.SAPPER_TEST_GATEWAY_SECRET;
    }
  });

  it("passes the whole environment when inheritEnv is set", async () => {
    process.env.SAPPER_TEST_INHERITED = "inherited-value";
    try {
      const { upstream } = await startFixture({ inheritEnv: true });
      expect(textOf(await call(upstream, "env", { name: "SAPPER_TEST_INHERITED" }))).toBe("inherited-value");
    } finally {
      delete process.env.SAPPER_TEST_INHERITED;
    }
  });
});

describe("stdio upstream: requests", () => {
  it("gives each of 50 concurrent callers with colliding progress tokens its own result and its own progress", async () => {
    const { upstream } = await startFixture();
    const calls = Array.from({ length: 50 }, async (_, i) => {
      const progress: JSONRPCNotification[] = [];
      const steps = 1 + (i % 4);
      const result = await upstream.request(
        "tools/call",
        { name: "steps", arguments: { label: `caller-${i}`, steps }, _meta: { progressToken: 1 } },
        { sessionId: `s${i}`, onNotification: (n) => progress.push(n) },
      );
      return { i, steps, text: textOf(result), progress };
    });
    for (const { i, steps, text, progress } of await Promise.all(calls)) {
      expect(text).toBe(`caller-${i} done after ${steps} steps`);
      expect(progress.map((n) => n.params?.progress)).toEqual(Array.from({ length: steps }, (_, k) => k + 1));
      for (const n of progress) {
        expect(n.method).toBe("notifications/progress");
        expect(n.params?.progressToken).toBe(1);
        expect(n.params?.message).toBe(`caller-${i}`);
      }
    }
  });

  it("returns the upstream's own JSON-RPC error unchanged, without a failure kind", async () => {
    const { upstream } = await startFixture();
    const err = await failureOf(upstream.request("no/such/method", {}, { sessionId: SESSION }));
    expect(err.rpcCode).toBe(-32601);
    expect(err.kind).toBeUndefined();
  });

  it("fails a call that gets no answer with a timeout error and tells the upstream it was cancelled", async () => {
    const { upstream } = await startFixture({ timeoutMs: 300 });
    const t0 = Date.now();
    const err = await failureOf(call(upstream, "hang"));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(err.kind).toBe("timeout");
    expect(err.rpcCode).toBe(-32003);
    expect(err.message).toContain('SAPPER_UPSTREAM_TIMEOUT: upstream "fx" did not answer tools/call within 300 ms');
    const observed = JSON.parse(textOf(await call(upstream, "cancellations", {}, { timeoutMs: 10_000 }))) as { reason: string }[];
    expect(observed).toEqual([expect.objectContaining({ reason: "timed out after 300 ms" })]);
  });

  it("lets a per-call timeout override the configured one", async () => {
    const { upstream } = await startFixture({ timeoutMs: 60_000 });
    const err = await failureOf(call(upstream, "hang", {}, { timeoutMs: 200 }));
    expect(err.kind).toBe("timeout");
    expect(err.message).toContain("within 200 ms");
  });

  it("keeps a call alive while progress arrives, even past its timeout", async () => {
    const { upstream } = await startFixture({ timeoutMs: 600 });
    const result = await upstream.request(
      "tools/call",
      { name: "steps", arguments: { label: "long", steps: 12, stepMs: 100 }, _meta: { progressToken: "p" } },
      { sessionId: SESSION },
    );
    expect(textOf(result)).toBe("long done after 12 steps");
  });

  it("sends notifications/cancelled upstream when the caller aborts, and rejects with kind cancelled", async () => {
    const { upstream } = await startFixture();
    const controller = new AbortController();
    const pending = call(upstream, "hang", {}, { signal: controller.signal });
    setTimeout(() => controller.abort("the user pressed stop"), 100);
    const err = await failureOf(pending);
    expect(err.kind).toBe("cancelled");
    await waitFor(async () => textOf(await call(upstream, "cancellations")).includes("the user pressed stop"), 5_000, "the cancellation");
  });

  it("answers overload with an immediate error once maxInFlight and maxQueue are used up", async () => {
    const { upstream } = await startFixture({ maxInFlight: 1, maxQueue: 2 });
    const controller = new AbortController();
    const held = [0, 1, 2].map(() => call(upstream, "hang", {}, { signal: controller.signal }).catch((e: unknown) => e));
    const t0 = Date.now();
    const err = await failureOf(call(upstream, "echo", { text: "one too many" }));
    expect(Date.now() - t0).toBeLessThan(500);
    expect(err.kind).toBe("overloaded");
    expect(err.rpcCode).toBe(-32002);
    expect(err.message).toContain('upstream "fx" is overloaded: 2 requests are already waiting (maxQueue)');
    controller.abort();
    for (const e of await Promise.all(held)) expect((e as UpstreamError).kind).toBe("cancelled");
    expect(textOf(await call(upstream, "echo", { text: "fine again" }))).toBe("fine again");
  });

  it("logs and counts garbage lines on stdout and keeps serving", async () => {
    const deps = testDeps();
    const { upstream } = await startFixture({ args: [stdioFixture, "--banner"] }, deps);
    expect(textOf(await call(upstream, "garbage"))).toBe("wrote garbage");
    expect(textOf(await call(upstream, "echo", { text: "still here" }))).toBe("still here");
    const warnings = deps.logs.filter((l) => l.msg.includes("not a JSON-RPC message"));
    expect(warnings.map((l) => l.excerpt)).toEqual([
      "Fixture server v1 starting (this line is not JSON)",
      "DEBUG: this is not JSON at all",
      '{"json": "but not JSON-RPC"}',
    ]);
    expect(warnings.every((l) => l.upstream === "fx" && l.level === 40)).toBe(true);
    expect(await metricValue(deps.metrics.upstreamErrors, { upstream: "fx", kind: "protocol" })).toBe(3);
  });

  it("discards an endless stdout line without holding it in memory, and keeps serving", async () => {
    const deps = testDeps();
    const { upstream } = await startFixture({}, deps);
    expect(textOf(await call(upstream, "huge-line"))).toBe("wrote a huge line");
    expect(textOf(await call(upstream, "echo", { text: "after the flood" }))).toBe("after the flood");
    const warning = deps.logs.find((l) => l.msg.includes("not a JSON-RPC message"));
    expect(warning?.excerpt).toBe("x".repeat(200));
    expect(await metricValue(deps.metrics.upstreamErrors, { upstream: "fx", kind: "protocol" })).toBe(1);
  });
});

describe("stdio upstream: server-to-client traffic", () => {
  it("routes a sampling request to the only call in flight and returns the client's answer upstream", async () => {
    const { upstream } = await startFixture();
    const asked: string[] = [];
    const result = await call(upstream, "sample", { prompt: "hi" }, {
      onRequest: async (request) => {
        asked.push(request.method);
        return { role: "assistant", content: { type: "text", text: "hello from the client" }, model: "test" };
      },
    });
    expect(asked).toEqual(["sampling/createMessage"]);
    expect(textOf(result)).toBe("sampled: hello from the client");
  });

  it("refuses a sampling request it cannot attribute because two calls are in flight", async () => {
    const deps = testDeps();
    const { upstream } = await startFixture({}, deps);
    const controller = new AbortController();
    const other = call(upstream, "hang", {}, { signal: controller.signal, onRequest: async () => ({}) }).catch(() => undefined);
    const result = await call(upstream, "sample", { prompt: "hi" }, { onRequest: async () => ({ wrong: "this must not be asked" }) });
    expect(textOf(result)).toContain("sampling failed:");
    expect(textOf(result)).toContain("Sapper cannot tell which client sampling/createMessage is for: 2 requests are in flight");
    expect(await metricValue(deps.metrics.notificationsDropped, { upstream: "fx", method: "sampling/createMessage" })).toBe(1);
    controller.abort();
    await other;
  });

  it("sends a client handler's failure back upstream as a JSON-RPC error", async () => {
    const { upstream } = await startFixture();
    const result = await call(upstream, "sample", { prompt: "hi" }, {
      onRequest: async () => {
        throw new UpstreamError(-32601, "The client did not declare the sampling capability");
      },
    });
    expect(textOf(result)).toContain("The client did not declare the sampling capability");
  });

  it("survives a notification callback that throws", async () => {
    const deps = testDeps();
    const { upstream } = await startFixture({}, deps);
    const result = await call(upstream, "log", { message: "boom" }, {
      onNotification: () => {
        throw new Error("the gateway's callback failed");
      },
    });
    expect(textOf(result)).toBe("logged");
    expect(textOf(await call(upstream, "echo", { text: "alive" }))).toBe("alive");
    expect(deps.logs.some((l) => l.level === 50 && l.msg === "handling a message from the upstream failed")).toBe(true);
  });

  it("delivers a log message to the only call in flight, and to events.notification when it cannot tell", async () => {
    const deps = testDeps();
    const { upstream } = await startFixture({}, deps);
    const mine: JSONRPCNotification[] = [];
    await call(upstream, "log", { message: "alone" }, { onNotification: (n) => mine.push(n) });
    expect(mine.map((n) => (n.params as { data?: unknown }).data)).toEqual(["alone"]);

    const a: JSONRPCNotification[] = [];
    const b: JSONRPCNotification[] = [];
    await Promise.all([
      call(upstream, "log", { message: "crowded", delayMs: 200 }, { onNotification: (n) => a.push(n) }),
      call(upstream, "echo", { text: "x", delayMs: 300 }, { onNotification: (n) => b.push(n) }),
    ]);
    expect([...a, ...b]).toEqual([]);
    expect(deps.unrouted.map((u) => [(u.notification.params as { data?: unknown }).data, u.sessionId])).toEqual([["crowded", undefined]]);
  });
});

describe("stdio upstream: supervision", () => {
  it("fails the call in flight when the process is killed, restarts it, and serves the next call", async () => {
    const deps = testDeps();
    const { upstream } = await startFixture({ restart: { initialDelayMs: 50, maxDelayMs: 1_000, resetAfterMs: 60_000 } }, deps);
    const pid = await pidOf(upstream);
    const pending = call(upstream, "hang");
    setTimeout(() => process.kill(pid, "SIGKILL"), 100);
    const err = await failureOf(pending);
    expect(err.kind).toBe("crashed");
    expect(err.message).toContain('upstream "fx" was killed by SIGKILL while the request was in flight (tools/call)');

    expect(textOf(await call(upstream, "echo", { text: "after restart" }))).toBe("after restart");
    expect(await pidOf(upstream)).not.toBe(pid);
    expect(await metricValue(deps.metrics.upstreamRestarts, { upstream: "fx" })).toBe(1);
    expect(deps.states).toEqual([true, false, true]);
    expect(deps.logs.some((l) => l.msg === "upstream process exited; restarting it" && l.exit === "was killed by SIGKILL")).toBe(true);
  });

  it("names the exit code when the server exits on its own mid-call", async () => {
    const { upstream } = await startFixture({ restart: { initialDelayMs: 50, maxDelayMs: 1_000, resetAfterMs: 60_000 } });
    const err = await failureOf(call(upstream, "crash"));
    expect(err.kind).toBe("crashed");
    expect(err.message).toContain('upstream "fx" exited (code 3) while the request was in flight');
  });

  it("holds requests while no process is up and answers unavailable when none comes back in time", async () => {
    const deps = testDeps();
    const { upstream } = await startFixture({ restart: { initialDelayMs: 800, maxDelayMs: 1_000, resetAfterMs: 60_000 } }, deps);
    process.kill(await pidOf(upstream), "SIGKILL");
    await waitFor(() => !upstream.ready, 5_000, "the crash to be noticed");

    const t0 = Date.now();
    const err = await failureOf(call(upstream, "echo", { text: "too early" }, { timeoutMs: 200 }));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(err.kind).toBe("unavailable");
    expect(err.message).toContain('upstream "fx" is not available (no process is up; restarting)');

    expect(textOf(await call(upstream, "echo", { text: "waited" }, { timeoutMs: 10_000 }))).toBe("waited");
  });

  it("doubles the restart delay for a server that keeps crashing", async () => {
    const deps = testDeps();
    const { upstream } = await startFixture({ restart: { initialDelayMs: 100, maxDelayMs: 10_000, resetAfterMs: 60_000 } }, deps);
    const crashAt: number[] = [];
    for (let i = 0; i < 3; i++) {
      crashAt.push(Date.now());
      await failureOf(call(upstream, "crash", {}, { timeoutMs: 10_000 }));
      await waitFor(() => upstream.ready, 10_000, "the restart");
    }
    const upAgain = Date.now();
    // Delays 100, 200, 400 ms: the third restart alone takes at least 400 ms.
    expect(upAgain - crashAt[2]).toBeGreaterThanOrEqual(400);
    expect(await metricValue(deps.metrics.upstreamRestarts, { upstream: "fx" })).toBe(3);
  });

  it("spreads concurrent calls over the pool's processes", async () => {
    const { upstream } = await startFixture({ poolSize: 2 });
    const pids = await Promise.all([0, 1].map(() => call(upstream, "pid", { delayMs: 200 }).then(textOf)));
    expect(new Set(pids).size).toBe(2);
  });

  it("notices a crash even when a process it spawned keeps the stdio pipes open", async () => {
    const { upstream } = await startFixture({ restart: { initialDelayMs: 50, maxDelayMs: 1_000, resetAfterMs: 60_000 } });
    const holder = Number(textOf(await call(upstream, "spawn-helper", { ownSession: true })));
    try {
      const t0 = Date.now();
      const err = await failureOf(call(upstream, "crash"));
      expect(err.kind).toBe("crashed");
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(textOf(await call(upstream, "echo", { text: "restarted" }))).toBe("restarted");
    } finally {
      process.kill(holder, "SIGKILL");
    }
  });

  it("takes the helper processes of a crashed server down with it", async () => {
    const { upstream } = await startFixture();
    const helper = Number(textOf(await call(upstream, "spawn-helper", { ownSession: false })));
    try {
      expect(isAlive(helper)).toBe(true);
      await failureOf(call(upstream, "crash"));
      await waitFor(() => !isAlive(helper), 2_000, "the helper to die");
    } finally {
      if (isAlive(helper)) process.kill(helper, "SIGKILL");
    }
  });

  it("kills a server that ignores SIGTERM once the grace period is over", async () => {
    const deps = testDeps();
    const { upstream } = await startFixture({ args: [stdioFixture, "--linger", "--ignore-sigterm"] }, deps);
    const pid = await pidOf(upstream);
    const t0 = Date.now();
    await upstream.close();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_900);
    expect(isAlive(pid)).toBe(false);
    expect(deps.logs.some((l) => l.msg === "fixture: ignoring SIGTERM")).toBe(true);
  });

  it("terminates every process on close and fails calls still in flight", async () => {
    const { upstream } = await startFixture({ poolSize: 2 });
    const pids = await Promise.all([0, 1].map(() => call(upstream, "pid", { delayMs: 100 }).then((r) => Number(textOf(r)))));
    expect(new Set(pids).size).toBe(2);
    const pending = failureOf(call(upstream, "hang"));
    await upstream.close();
    const err = await pending;
    expect(err.kind).toBe("unavailable");
    expect(err.message).toContain('upstream "fx" was shut down while tools/call was in flight');
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(upstream.ready).toBe(false);
    expect((await failureOf(call(upstream, "echo", { text: "late" }))).kind).toBe("unavailable");
  });
});
