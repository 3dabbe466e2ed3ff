// An upstream's list_changed reaches connected clients, and the aggregated list shows the change.
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSapper, type StartedSapper } from "../helpers/start-sapper.js";

let sapper: StartedSapper;
beforeAll(async () => {
  sapper = await startSapper({
    config: {
      upstreams: {
        fx: { transport: "stdio", command: process.execPath, args: ["test/fixtures/gateway-fixture-server.mjs", "--name", "fx"] },
        other: { transport: "stdio", command: process.execPath, args: ["test/fixtures/gateway-fixture-server.mjs", "--name", "other"] },
      },
    },
  });
});
afterAll(async () => {
  await sapper?.stop();
});

describe("list_changed propagation", () => {
  it("tells connected clients when an upstream's tools change and lists the new tool", async () => {
    const client = new Client({ name: "watcher", version: "1" });
    let announced = 0;
    const changed = new Promise<void>((resolve) =>
      client.setNotificationHandler("notifications/tools/list_changed", () => {
        announced++;
        resolve();
      }),
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(sapper.url)));
    try {
      const before = (await client.listTools()).tools.map((t) => t.name);
      expect(before).not.toContain("fx__grown_1");
      await new Promise((r) => setTimeout(r, 200));
      await client.callTool({ name: "fx__grow", arguments: {} });
      await changed;
      expect(announced).toBeGreaterThanOrEqual(1);
      const after = (await client.listTools()).tools.map((t) => t.name);
      expect(after).toContain("fx__grown_1");
      expect(after).not.toContain("other__grown_1");
      const r = await client.callTool({ name: "fx__grown_1", arguments: {} });
      expect(JSON.stringify(r.content)).toContain("grown 1");
    } finally {
      await client.close();
    }
  });
});
