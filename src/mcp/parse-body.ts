// Turns a raw POST body into JSON-RPC messages, refusing invalid UTF-8, excessive nesting,
// malformed JSON and wrong JSON-RPC shapes with the spec's error codes.
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/server";
import { HttpProtocolError, RpcCodes, RpcError } from "./rpc-error.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

export interface ParsedBody {
  batch: boolean;
  /** One entry per element; an RpcError where the element is not a valid JSON-RPC message. */
  items: Array<JSONRPCMessage | { invalid: RpcError; id: RequestId | null }>;
}

export function parseBody(body: Buffer, maxDepth: number): ParsedBody {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HttpProtocolError(400, RpcCodes.parseError, "Parse error: the body is not valid UTF-8");
  }
  if (exceedsDepth(body, maxDepth)) {
    throw new HttpProtocolError(400, RpcCodes.parseError, `Parse error: JSON nested deeper than ${maxDepth} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpProtocolError(400, RpcCodes.parseError, `Parse error: ${(err as Error).message}`);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new HttpProtocolError(400, RpcCodes.invalidRequest, "Invalid Request: empty batch");
    return { batch: true, items: value.map(checkMessage) };
  }
  return { batch: false, items: [checkMessage(value)] };
}

/** Bracket depth outside strings, counted on bytes so that nothing is allocated. */
function exceedsDepth(body: Buffer, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

function isValidId(id: unknown): id is RequestId {
  return typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
}

function checkMessage(m: unknown): ParsedBody["items"][number] {
  const invalid = (why: string, id: RequestId | null = null) => ({ invalid: new RpcError(RpcCodes.invalidRequest, `Invalid Request: ${why}`), id });
  if (m === null || typeof m !== "object" || Array.isArray(m)) return invalid("a JSON-RPC message must be an object");
  const o = m as Record<string, unknown>;
  const id = isValidId(o.id) ? o.id : null;
  if (o.jsonrpc !== "2.0") return invalid('"jsonrpc" must be "2.0"', id);
  if ("id" in o && !isValidId(o.id)) return invalid('"id" must be a string or a number');
  if ("method" in o) {
    if (typeof o.method !== "string" || o.method === "") return invalid('"method" must be a non-empty string', id);
    if ("params" in o && (o.params === null || typeof o.params !== "object" || Array.isArray(o.params))) {
      return invalid('"params" must be an object', id);
    }
    return o as unknown as JSONRPCMessage;
  }
  if (!("id" in o)) return invalid('a message needs "method" (request or notification) or "id" (response)');
  if ("result" in o === "error" in o) return invalid('a response has exactly one of "result" and "error"', id);
  if ("error" in o) {
    const e = o.error as Record<string, unknown> | null;
    if (!e || typeof e !== "object" || typeof e.code !== "number" || typeof e.message !== "string") {
      return invalid('"error" needs a numeric "code" and a string "message"', id);
    }
  }
  return o as unknown as JSONRPCMessage;
}
