// SSE behaviour of the endpoint: the 2025-11-25 priming event, resuming a lost POST stream with
// Last-Event-ID, and one standalone GET stream per session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MCP_HEADERS, openSession, parseSse, rawPost } from "../helpers/mcp-http.js";
import { startSapper, type StartedSapper } from "../helpers/start-sapper.js";

let sapper: StartedSapper;
beforeAll(async () => {
  sapper = await startSapper({ args: ["--", process.execPath, "test/fixtures/gateway-fixture-server.mjs"] });
});
afterAll(async () => {
  await sapper?.stop();
});

/** Reads SSE events from a streaming response until `until` says stop, then drops the connection. */
async function readEvents(res: Response, until: (events: Array<{ id?: string; data: string }>) => boolean, ac: AbortController) {
  const reader = res.body!.getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
    const events = parseSse(text.slice(0, text.lastIndexOf("\n\n") + 2));
    if (until(events)) {
      ac.abort();
      return events;
    }
  }
  return parseSse(text);
}

describe("SSE streams", () => {
  it("starts an SSE response with a priming event that carries an id and no data", async () => {
    const session = await openSession(sapper.url);
    const r = await rawPost(
      sapper.url,
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { message: "m", steps: 2 }, _meta: { progressToken: 7 } } },
      { "mcp-session-id": session },
    );
    expect(r.headers.get("content-type")).toMatch(/text\/event-stream/);
    expect(r.events[0]!.id).toBeTruthy();
    expect(r.events[0]!.data).toBe("");
    const ids = r.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("resumes a POST stream on GET with Last-Event-ID after the client lost it", async () => {
    const session = await openSession(sapper.url, { elicitation: { form: {} } });
    const ac = new AbortController();
    const res = await fetch(sapper.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, "mcp-session-id": session },
      body: JSON.stringify({ jsonrpc: "2.0", id: 42, method: "tools/call", params: { name: "ask", arguments: {} } }),
      signal: ac.signal,
    });
    // Read until the elicitation request arrives, then drop the stream before the answer.
    const events = await readEvents(res, (evs) => evs.some((e) => e.data.includes("elicitation/create")), ac);
    const ask = events.find((e) => e.data.includes("elicitation/create"))!;
    const request = JSON.parse(ask.data) as { id: string };
    const answered = await rawPost(sapper.url, { jsonrpc: "2.0", id: request.id, result: { action: "accept", content: { name: "Grace" } } }, { "mcp-session-id": session });
    expect(answered.status).toBe(202);
    const ac2 = new AbortController();
    const resumed = await fetch(sapper.url, { headers: { accept: "text/event-stream", "mcp-session-id": session, "last-event-id": ask.id! }, signal: ac2.signal });
    expect(resumed.status).toBe(200);
    const replay = await readEvents(resumed, (evs) => evs.some((e) => e.data.includes('"id":42')), ac2);
    const final = JSON.parse(replay.find((e) => e.data.includes('"id":42'))!.data) as { result: unknown };
    expect(JSON.stringify(final.result)).toContain("hello Grace");
  });

  it("allows one standalone GET stream per session (409 for a second)", async () => {
    const session = await openSession(sapper.url);
    const ac = new AbortController();
    const first = await fetch(sapper.url, { headers: { accept: "text/event-stream", "mcp-session-id": session }, signal: ac.signal });
    expect(first.status).toBe(200);
    const second = await fetch(sapper.url, { headers: { accept: "text/event-stream", "mcp-session-id": session } });
    expect(second.status).toBe(409);
    ac.abort();
  });

  it("answers GET without text/event-stream in Accept with 406", async () => {
    const session = await openSession(sapper.url);
    const r = await fetch(sapper.url, { headers: { accept: "application/json", "mcp-session-id": session } });
    expect(r.status).toBe(406);
  });
});

describe("JSON responses", () => {
  it("answers a request with nothing to stream as one JSON body with its Content-Length, not chunked", async () => {
    const session = await openSession(sapper.url);
    const r = await rawPost(sapper.url, { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "echo", arguments: { message: "plain" } } }, { "mcp-session-id": session });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(r.headers.get("transfer-encoding")).toBeNull();
    expect(Number(r.headers.get("content-length"))).toBe(Buffer.byteLength(r.text));
    expect(JSON.parse(r.text)).toMatchObject({ jsonrpc: "2.0", id: 9, result: { content: [{ type: "text" }] } });
  });
});
