// Raw HTTP access to an MCP endpoint for tests that need to see status codes, headers and every
// message of a response (JSON or SSE), which the SDK client hides.
export interface RawResponse {
  status: number;
  headers: Headers;
  /** JSON-RPC messages from a JSON body or from the SSE events' data lines. */
  messages: Array<Record<string, unknown>>;
  /** Raw SSE events (id + data), for priming and resumption checks. */
  events: Array<{ id?: string; data: string }>;
  text: string;
}

export const MCP_HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-11-25",
};

export function parseSse(text: string): Array<{ id?: string; data: string }> {
  const events: Array<{ id?: string; data: string }> = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith("id:")) id = line.slice(3).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (id !== undefined || data.length) events.push({ ...(id !== undefined ? { id } : {}), data: data.join("\n") });
  }
  return events;
}

export async function rawPost(url: string, body: unknown, headers: Record<string, string> = {}, method = "POST"): Promise<RawResponse> {
  const payload: string | Uint8Array | undefined =
    method !== "POST" ? undefined : typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  const res = await fetch(url, { method, headers: { ...MCP_HEADERS, ...headers }, body: payload as BodyInit | undefined });
  const text = await res.text();
  const type = res.headers.get("content-type") ?? "";
  let messages: Array<Record<string, unknown>> = [];
  let events: Array<{ id?: string; data: string }> = [];
  if (type.includes("text/event-stream")) {
    events = parseSse(text);
    messages = events.filter((e) => e.data !== "").map((e) => JSON.parse(e.data) as Record<string, unknown>);
  } else if (text !== "") {
    const parsed = JSON.parse(text) as unknown;
    messages = (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
  }
  return { status: res.status, headers: res.headers, messages, events, text };
}

export async function openSession(url: string, capabilities: Record<string, unknown> = {}, version = "2025-11-25"): Promise<string> {
  const r = await rawPost(url, {
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: { protocolVersion: version, capabilities, clientInfo: { name: "test", version: "1" } },
  });
  const id = r.headers.get("mcp-session-id");
  if (r.status !== 200 || !id) throw new Error(`initialize failed: ${r.status} ${r.text}`);
  await rawPost(url, { jsonrpc: "2.0", method: "notifications/initialized" }, { "mcp-session-id": id, "mcp-protocol-version": version });
  return id;
}

/** The response to request `id` among a response's messages. */
export function responseTo(r: RawResponse, id: unknown): Record<string, unknown> | undefined {
  return r.messages.find((m) => m.id === id && !("method" in m));
}
