// Real official servers (everything, filesystem, memory) behind one endpoint, plus a server that
// pages its own lists, driven by the SDK's own client: namespaced aggregation, calls, resources,
// prompts and pagination both ways.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSapper, type StartedSapper } from "../helpers/start-sapper.js";

const dir = mkdtempSync(join(tmpdir(), "sapper-fs-"));
writeFileSync(join(dir, "hello.txt"), "hello from the filesystem server\n");
const bin = (pkg: string) => `node_modules/@modelcontextprotocol/${pkg}/dist/index.js`;

let sapper: StartedSapper;
let client: Client;

beforeAll(async () => {
  sapper = await startSapper({
    config: {
      server: { pageSize: 10 },
      upstreams: {
        everything: { transport: "stdio", command: process.execPath, args: [bin("server-everything"), "stdio"] },
        fs: { transport: "stdio", command: process.execPath, args: [bin("server-filesystem"), dir], tools: { exclude: ["write_*", "edit_*", "move_*", "create_*"] } },
        memory: { transport: "stdio", command: process.execPath, args: [bin("server-memory")], env: { MEMORY_FILE_PATH: join(dir, "memory.jsonl") } },
        paged: { transport: "stdio", command: process.execPath, args: ["test/fixtures/paginated-server.mjs", "8"] },
      },
    },
    timeoutMs: 60_000,
  });
  client = new Client({ name: "e2e", version: "1.0.0" }, { capabilities: {} });
  await client.connect(new StreamableHTTPClientTransport(new URL(sapper.url)));
}, 90_000);

afterAll(async () => {
  await client?.close();
  await sapper?.stop();
});

async function allTools(): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined);
    names.push(...page.tools.map((t) => t.name));
    cursor = page.nextCursor;
  } while (cursor);
  return names;
}

describe("official servers behind one endpoint", () => {
  it("lists every upstream's tools, namespaced, across pages of 10, with filters applied", async () => {
    const names = await allTools();
    expect(names).toContain("everything__echo");
    expect(names).toContain("fs__read_text_file");
    expect(names).toContain("memory__create_entities");
    expect(names.filter((n) => n.startsWith("fs__write_"))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThan(20);
  });

  it("routes calls to the right server", async () => {
    const echo = await client.callTool({ name: "everything__echo", arguments: { message: "hi" } });
    expect(JSON.stringify(echo.content)).toContain("hi");
    const file = await client.callTool({ name: "fs__read_text_file", arguments: { path: join(dir, "hello.txt") } });
    expect(JSON.stringify(file.content)).toContain("hello from the filesystem server");
    await client.callTool({ name: "memory__create_entities", arguments: { entities: [{ name: "sapper", entityType: "gateway", observations: ["fronts MCP servers"] }] } });
    const graph = await client.callTool({ name: "memory__read_graph", arguments: {} });
    expect(JSON.stringify(graph)).toContain("fronts MCP servers");
  });

  it("passes an upstream's tool error through as a tool result", async () => {
    const r = await client.callTool({ name: "fs__read_text_file", arguments: { path: "/etc/shadow-not-allowed" } });
    expect(r.isError).toBe(true);
  });

  it("follows an upstream's cursors and re-paginates the aggregate with its own", async () => {
    const names = await allTools();
    const paged = names.filter((n) => n.startsWith("paged__"));
    expect(paged.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `paged__t${i}`).sort());
    const r = await client.callTool({ name: "paged__t7", arguments: {} });
    expect(JSON.stringify(r.content)).toContain("called t7");
  });

  it("serves resources and prompts of the upstreams", async () => {
    const resources = await client.listResources();
    expect(resources.resources.length).toBeGreaterThan(0);
    const first = resources.resources[0]!;
    const read = await client.readResource({ uri: first.uri });
    expect(read.contents[0]!.uri).toBe(first.uri);
    const prompts = await client.listPrompts();
    const simple = prompts.prompts.find((p) => p.name.startsWith("everything__"));
    expect(simple).toBeDefined();
  });

  it("reports readiness of every upstream", async () => {
    const r = await fetch(`${sapper.origin}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: "ready", upstreams: { everything: "ready", fs: "ready", memory: "ready" } });
  });
});
