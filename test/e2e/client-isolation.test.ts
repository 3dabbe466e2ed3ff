// 50 clients using the same JSON-RPC ids and progress tokens at the same time through one shared
// stdio upstream: each gets exactly its own responses and progress, nothing of anyone else's
// (the bug class of CVE-2026-25536).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession, rawPost } from "../helpers/mcp-http.js";
import { startSapper, type StartedSapper } from "../helpers/start-sapper.js";

let sapper: StartedSapper;
beforeAll(async () => {
  sapper = await startSapper({
    config: { upstreams: { fx: { transport: "stdio", command: process.execPath, args: ["test/fixtures/gateway-fixture-server.mjs", "--name", "fx"], poolSize: 1 } } },
    env: { SAPPER_LOG_LEVEL: "warn" },
  });
});
afterAll(async () => {
  await sapper?.stop();
});

describe("client isolation", () => {
  it("gives 50 concurrent clients with identical ids and tokens only their own messages", async () => {
    const clients = await Promise.all(Array.from({ length: 50 }, () => openSession(sapper.url)));
    for (const id of [1, 2, 3]) {
      const results = await Promise.all(
        clients.map((session, i) =>
          rawPost(
            sapper.url,
            { jsonrpc: "2.0", id, method: "tools/call", params: { name: "fx__echo", arguments: { message: `client-${i}`, steps: 3 }, _meta: { progressToken: "tok" } } },
            { "mcp-session-id": session },
          ),
        ),
      );
      results.forEach((r, i) => {
        expect(r.status).toBe(200);
        const responses = r.messages.filter((m) => !("method" in m));
        expect(responses).toHaveLength(1);
        expect(responses[0]!.id).toBe(id);
        expect(JSON.stringify(responses[0]!.result)).toContain(`fx:client-${i}"`);
        const progress = r.messages.filter((m) => m.method === "notifications/progress");
        expect(progress.map((p) => (p.params as { progress: number }).progress)).toEqual([1, 2, 3]);
        for (const p of progress) {
          expect((p.params as { progressToken: unknown }).progressToken).toBe("tok");
          expect((p.params as { message: string }).message).toBe(`client-${i}`);
        }
        // Nothing that names another client appears anywhere in this client's stream.
        const others = r.text.match(/client-\d+/g) ?? [];
        expect(new Set(others)).toEqual(new Set([`client-${i}`]));
      });
    }
  });
});
