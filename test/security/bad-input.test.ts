// Bad input through the real gateway: every refusal has the spec's status code and a JSON-RPC
// error, and the gateway keeps serving other clients.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession, rawPost, type RawResponse } from "../helpers/mcp-http.js";
import { startSapper, type StartedSapper } from "../helpers/start-sapper.js";

let sapper: StartedSapper;
let session: string;
const fixture = "test/fixtures/gateway-fixture-server.mjs";

beforeAll(async () => {
  sapper = await startSapper({ config: { server: { maxBodyBytes: 64 * 1024 }, upstreams: { fx: { transport: "stdio", command: process.execPath, args: [fixture, "--name", "fx"] } } } });
  session = await openSession(sapper.url);
});
afterAll(async () => {
  await sapper?.stop();
});

const call = (id: unknown = 1) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "fx__echo", arguments: { message: "still here" } } });

function expectRpcError(r: RawResponse, status: number, code: number) {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get("content-type")).toMatch(/application\/json/);
  const err = r.messages[0]?.error as { code: number; message: string } | undefined;
  expect(err?.code, r.text).toBe(code);
  expect(err?.message.length).toBeGreaterThan(5);
}

async function stillServing() {
  const r = await rawPost(sapper.url, call(99), { "mcp-session-id": session });
  expect(r.status).toBe(200);
  expect(JSON.stringify(r.messages)).toContain("fx:still here");
}

describe("bad input", () => {
  it("answers malformed JSON with 400 and -32700", async () => {
    expectRpcError(await rawPost(sapper.url, '{"jsonrpc": "2.0", "id": 1, "method": ', { "mcp-session-id": session }), 400, -32700);
    await stillServing();
  });

  it.each([
    ["a wrong jsonrpc version", { jsonrpc: "1.0", id: 1, method: "ping" }],
    ["a missing method", { jsonrpc: "2.0", id: 1 }],
    ["an object as id", { jsonrpc: "2.0", id: { x: 1 }, method: "ping" }],
    ["null as id", { jsonrpc: "2.0", id: null, method: "ping" }],
  ])("answers %s with 400 and -32600", async (_what, body) => {
    expectRpcError(await rawPost(sapper.url, body, { "mcp-session-id": session }), 400, -32600);
    await stillServing();
  });

  it("refuses a batch in protocol 2025-11-25", async () => {
    expectRpcError(await rawPost(sapper.url, [call(1), call(2)], { "mcp-session-id": session }), 400, -32600);
  });

  it("answers each element of a batch in a 2025-03-26 session", async () => {
    const old = await openSession(sapper.url, {}, "2025-03-26");
    const r = await rawPost(sapper.url, [call(1), { jsonrpc: "2.0", id: 2, method: "ping" }, { jsonrpc: "1.0", id: 3, method: "ping" }], {
      "mcp-session-id": old,
      "mcp-protocol-version": "2025-03-26",
    });
    expect(r.status).toBe(200);
    const byId = new Map(r.messages.map((m) => [m.id, m]));
    expect(JSON.stringify(byId.get(1))).toContain("fx:still here");
    expect(byId.get(2)?.result).toEqual({});
    expect((byId.get(3)?.error as { code: number }).code).toBe(-32600);
  });

  it("answers a wrong Accept header with 406", async () => {
    expectRpcError(await rawPost(sapper.url, call(), { "mcp-session-id": session, accept: "application/json" }), 406, -32000);
  });

  it("answers a wrong Content-Type with 415", async () => {
    expectRpcError(await rawPost(sapper.url, JSON.stringify(call()), { "mcp-session-id": session, "content-type": "text/plain" }), 415, -32000);
  });

  it("answers an oversized body with 413", async () => {
    const big = { ...call(), params: { name: "fx__echo", arguments: { message: "x".repeat(100 * 1024) } } };
    expectRpcError(await rawPost(sapper.url, big, { "mcp-session-id": session }), 413, -32000);
    await stillServing();
  });

  it("refuses very deeply nested JSON without crashing", async () => {
    const deep = "[".repeat(20_000) + "]".repeat(20_000);
    expectRpcError(await rawPost(sapper.url, deep, { "mcp-session-id": session }), 400, -32700);
    await stillServing();
  });

  it("refuses invalid UTF-8 with -32700", async () => {
    const bytes = Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}}')]);
    expectRpcError(await rawPost(sapper.url, new Uint8Array(bytes), { "mcp-session-id": session }), 400, -32700);
  });

  it("answers 400 when the session id is missing and 404 when it is unknown", async () => {
    expectRpcError(await rawPost(sapper.url, call()), 400, -32000);
    expectRpcError(await rawPost(sapper.url, call(), { "mcp-session-id": "no-such-session" }), 404, -32001);
  });

  it("answers 404 after the session was deleted, so that clients re-initialize", async () => {
    const s = await openSession(sapper.url);
    const del = await rawPost(sapper.url, undefined, { "mcp-session-id": s }, "DELETE");
    expect(del.status).toBe(200);
    expectRpcError(await rawPost(sapper.url, call(), { "mcp-session-id": s }), 404, -32001);
  });

  it("answers an unsupported MCP-Protocol-Version with 400", async () => {
    expectRpcError(await rawPost(sapper.url, call(), { "mcp-session-id": session, "mcp-protocol-version": "1999-01-01" }), 400, -32000);
  });

  it("refuses a hostile Origin and a foreign Host with 403", async () => {
    expectRpcError(await rawPost(sapper.url, call(), { "mcp-session-id": session, origin: "http://evil.example.com" }), 403, -32000);
    // fetch does not let a caller set Host, so this request is written with node:http.
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(sapper.url);
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { host: "evil.example.com", "content-type": "application/json", accept: "application/json, text/event-stream" } }, (r) => {
        r.resume();
        resolve(r.statusCode!);
      });
      req.on("error", reject);
      req.end(JSON.stringify(call()));
    });
    expect(status).toBe(403);
    await stillServing();
  });

  it("answers an allowed browser Origin with CORS headers that expose the session id", async () => {
    const r = await rawPost(sapper.url, call(7), { "mcp-session-id": session, origin: "http://localhost:3000" });
    expect(r.status).toBe(200);
    expect(r.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(r.headers.get("access-control-expose-headers")).toContain("mcp-session-id");
    const plain = await rawPost(sapper.url, call(8), { "mcp-session-id": session });
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a token in the query string", async () => {
    expectRpcError(await rawPost(`${sapper.url}?access_token=abc`, call(), { "mcp-session-id": session }), 400, -32000);
  });

  it("answers 405 with Allow for other HTTP methods", async () => {
    const r = await fetch(sapper.url, { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toContain("POST");
  });

  it("answers an unknown method with -32601 and an unknown tool with -32602", async () => {
    const a = await rawPost(sapper.url, { jsonrpc: "2.0", id: 5, method: "no/such" }, { "mcp-session-id": session });
    expect((a.messages[0]?.error as { code: number }).code).toBe(-32601);
    const b = await rawPost(sapper.url, { ...call(6), params: { name: "nope__x", arguments: {} } }, { "mcp-session-id": session });
    expect((b.messages[0]?.error as { code: number }).code).toBe(-32602);
  });

  it("answers a notification-only POST with 202", async () => {
    const r = await rawPost(sapper.url, { jsonrpc: "2.0", method: "notifications/roots/list_changed" }, { "mcp-session-id": session });
    expect(r.status).toBe(202);
  });

  it("never leaks a stack trace or crashes (the process is still alive)", async () => {
    expect(sapper.child.exitCode).toBeNull();
    expect(sapper.logs()).not.toMatch(/uncaught|unhandled/i);
  });
});
