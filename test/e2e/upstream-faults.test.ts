// Upstream failures through the real gateway: each becomes a clear JSON-RPC error for the caller,
// and the gateway recovers (restart) and keeps serving.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession, rawPost, responseTo } from "../helpers/mcp-http.js";
import { startSapper, type StartedSapper } from "../helpers/start-sapper.js";

const journal = join(mkdtempSync(join(tmpdir(), "sapper-faults-")), "journal.txt");
let sapper: StartedSapper;
let session: string;

beforeAll(async () => {
  sapper = await startSapper({
    config: {
      upstreams: {
        fx: {
          transport: "stdio",
          command: process.execPath,
          args: ["test/fixtures/gateway-fixture-server.mjs", "--name", "fx"],
          env: { FIXTURE_JOURNAL: journal },
          timeoutMs: 1_500,
          restart: { initialDelayMs: 50, maxDelayMs: 500 },
        },
      },
    },
  });
  session = await openSession(sapper.url);
});
afterAll(async () => {
  await sapper?.stop();
});

const call = (id: number, name: string, args: Record<string, unknown> = {}) =>
  rawPost(sapper.url, { jsonrpc: "2.0", id, method: "tools/call", params: { name: `fx__${name}`, arguments: args } }, { "mcp-session-id": session });

async function echoWorks(id: number): Promise<void> {
  const r = await call(id, "echo", { message: "alive" });
  expect(JSON.stringify(responseTo(r, id)?.result)).toContain("fx:alive");
}

describe("upstream faults", () => {
  it("fails a call whose upstream is killed mid-call, then serves the next call after the restart", async () => {
    const r = await call(1, "crash");
    const err = responseTo(r, 1)?.error as { code: number; message: string };
    expect(err.message).toMatch(/fx.*(exited|crash)/i);
    let ok = false;
    for (let i = 0; i < 50 && !ok; i++) {
      const again = await call(100 + i, "echo", { message: "alive" });
      ok = JSON.stringify(responseTo(again, 100 + i)?.result ?? "").includes("fx:alive");
      if (!ok) await new Promise((res) => setTimeout(res, 100));
    }
    expect(ok).toBe(true);
    const metrics = await (await fetch(`${sapper.origin}/metrics`)).text();
    expect(metrics).toMatch(/sapper_upstream_restarts_total\{upstream="fx"\} [1-9]/);
    expect(metrics).toMatch(/sapper_upstream_errors_total\{upstream="fx",kind="crashed"\} [1-9]/);
  });

  it("answers a call to an upstream that never answers with a timeout error", async () => {
    const started = Date.now();
    const r = await call(2, "hang");
    const err = responseTo(r, 2)?.error as { message: string };
    expect(err.message).toMatch(/time/i);
    expect(Date.now() - started).toBeLessThan(10_000);
    await echoWorks(3);
  });

  it("ends a request at the gateway's own request timeout even when the upstream allows more", async () => {
    const strict = await startSapper({
      config: {
        server: { requestTimeoutMs: 400 },
        upstreams: { fx: { transport: "stdio", command: process.execPath, args: ["test/fixtures/gateway-fixture-server.mjs", "--name", "fx"], timeoutMs: 30_000 } },
      },
    });
    try {
      const s = await openSession(strict.url);
      const started = Date.now();
      const r = await rawPost(strict.url, { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "fx__hang", arguments: {} } }, { "mcp-session-id": s });
      const err = responseTo(r, 9)?.error as { code: number; message: string };
      expect(err.code).toBe(-32003);
      expect(err.message).toMatch(/timed out after 400 ms/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await strict.stop();
    }
  });

  it("survives an upstream that writes garbage to stdout", async () => {
    const r = await call(4, "garbage");
    expect(JSON.stringify(responseTo(r, 4)?.result)).toContain("after garbage");
    await echoWorks(5);
    // Logs are written asynchronously: wait for the line rather than racing it.
    for (let i = 0; i < 40 && !/this is not JSON-RPC/.test(sapper.logs()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(sapper.logs()).toMatch(/this is not JSON-RPC/);
  });

  it("forwards a client's cancellation upstream", async () => {
    const pending = call(6, "slow", { ms: 1_200 });
    await new Promise((r) => setTimeout(r, 200));
    await rawPost(sapper.url, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 6, reason: "user" } }, { "mcp-session-id": session });
    await pending;
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(journal, "utf8")).toContain("slow:cancelled");
  });

  it("cancels only the named request when several are in flight in one session", async () => {
    const textOf = (r: Awaited<ReturnType<typeof call>>, id: unknown) => JSON.stringify(responseTo(r, id));
    const pending = [
      call(10, "slow", { ms: 700 }),
      call(11, "slow", { ms: 700 }),
      rawPost(sapper.url, { jsonrpc: "2.0", id: "11", method: "tools/call", params: { name: "fx__slow", arguments: { ms: 700 } } }, { "mcp-session-id": session }),
      call(12, "slow", { ms: 700 }),
    ];
    await new Promise((r) => setTimeout(r, 200));
    await rawPost(sapper.url, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 11 } }, { "mcp-session-id": session });
    const [r10, r11, r11s, r12] = await Promise.all(pending);
    expect(textOf(r11, 11)).toMatch(/cancelled by the client/);
    for (const [r, id] of [[r10, 10], [r11s, "11"], [r12, 12]] as const) expect(textOf(r, id)).toContain("done");
  });
});
