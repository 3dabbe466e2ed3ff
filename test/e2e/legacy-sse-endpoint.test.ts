// The optional HTTP+SSE endpoint for old clients: off by default, and when enabled an SDK
// SSE client can list and call tools, and a stale session id gets 404.
import { Client, SSEClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSapper, type StartedSapper } from "../helpers/start-sapper.js";

const upstreams = { fx: { transport: "stdio", command: process.execPath, args: ["test/fixtures/gateway-fixture-server.mjs", "--name", "fx"] } };
let on: StartedSapper;
let off: StartedSapper;

beforeAll(async () => {
  [on, off] = await Promise.all([
    startSapper({ config: { server: { legacySse: { enabled: true } }, upstreams } }),
    startSapper({ config: { upstreams } }),
  ]);
});
afterAll(async () => {
  await Promise.all([on?.stop(), off?.stop()]);
});

describe("legacy HTTP+SSE endpoint", () => {
  it("is off by default", async () => {
    expect((await fetch(`${off.origin}/sse`, { headers: { accept: "text/event-stream" } })).status).toBe(404);
  });

  it("serves an old SSE client when enabled", async () => {
    const client = new Client({ name: "old", version: "1" });
    await client.connect(new SSEClientTransport(new URL(`${on.origin}/sse`)));
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).toContain("fx__echo");
      const r = await client.callTool({ name: "fx__echo", arguments: { message: "from the past" } });
      expect(JSON.stringify(r.content)).toContain("fx:from the past");
    } finally {
      await client.close();
    }
  });

  it("answers a POST for an unknown stream with 404 and a JSON-RPC error", async () => {
    const r = await fetch(`${on.origin}/messages?sessionId=nope`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: { code: number } }).error.code).toBe(-32001);
  });
});
