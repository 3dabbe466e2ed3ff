// Server→client requests relayed through the gateway: an upstream's elicitation reaches the client
// that caused it, and the client's answer goes back to the upstream.
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startServerProcess } from "../helpers/server-process.js";
import { startSapper, type StartedSapper } from "../helpers/start-sapper.js";

let sapper: StartedSapper;
beforeAll(async () => {
  sapper = await startSapper({ args: ["--", process.execPath, "test/fixtures/gateway-fixture-server.mjs"] });
});
afterAll(async () => {
  await sapper?.stop();
});

async function connect(withElicitation: boolean, answer = "Ada"): Promise<Client> {
  const client = new Client({ name: "relay", version: "1" }, { capabilities: withElicitation ? { elicitation: { form: {} } } : {} });
  if (withElicitation) {
    client.setRequestHandler("elicitation/create", async (req) => {
      expect(req.params.message).toBe("What is your name?");
      return { action: "accept", content: { name: answer } };
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(sapper.url)));
  return client;
}

describe("server→client requests", () => {
  it("relays an upstream's elicitation to the calling client and its answer back", async () => {
    const [ada, bob] = await Promise.all([connect(true, "Ada"), connect(true, "Bob")]);
    try {
      const r = await ada.callTool({ name: "ask", arguments: {} });
      expect(JSON.stringify(r.content)).toContain("hello Ada");
      const s = await bob.callTool({ name: "ask", arguments: {} });
      expect(JSON.stringify(s.content)).toContain("hello Bob");
    } finally {
      await Promise.all([ada.close(), bob.close()]);
    }
  });

  it("refuses the relay when the client did not declare the capability", async () => {
    const plain = await connect(false);
    try {
      const r = await plain.callTool({ name: "ask", arguments: {} }).catch((e: Error) => ({ isError: true, content: [{ type: "text", text: e.message }] }));
      expect(r.isError).toBe(true);
      expect(JSON.stringify(r.content)).toMatch(/elicitation/i);
    } finally {
      await plain.close();
    }
  });
});

describe("server→client requests outside any call", () => {
  it("relays roots/list that an HTTP upstream asks for after its session starts, to the session's client", async () => {
    const port = await freePort();
    const everything = await startServerProcess({
      args: ["node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"],
      env: { PORT: String(port) },
      port,
      ready: /listening on port \d+/,
      url: (p) => `http://127.0.0.1:${p}/mcp`,
    });
    const gw = await startSapper({ config: { upstreams: { everything: { transport: "streamable-http", url: everything.url } } } });
    const client = new Client({ name: "roots", version: "1" }, { capabilities: { roots: { listChanged: true } } });
    let asked = 0;
    client.setRequestHandler("roots/list", async () => {
      asked++;
      return { roots: [{ uri: "file:///srv/sapper-root", name: "project" }] };
    });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(gw.url)));
      await client.callTool({ name: "everything__echo", arguments: { message: "open the upstream session" } });
      const deadline = Date.now() + 10_000;
      let listed = "";
      while (Date.now() < deadline && !listed.includes("sapper-root")) {
        await new Promise((r) => setTimeout(r, 200));
        listed = JSON.stringify((await client.callTool({ name: "everything__get-roots-list", arguments: {} })).content);
      }
      expect(asked).toBeGreaterThanOrEqual(1);
      expect(listed).toContain("file:///srv/sapper-root");
    } finally {
      await client.close();
      await gw.stop();
      await everything.stop();
    }
  });
});
