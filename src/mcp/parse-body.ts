// Turns a raw POST body into JSON-RPC messages, refusing invalid UTF-8, excessive nesting,
// malformed JSON and wrong JSON-RPC shapes with the spec's error codes.
import { isUtf8 } from "node:buffer";
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/server";
import { checkMessage } from "./json-rpc-shape.js";
import { HttpProtocolError, RpcCodes, type RpcError } from "./rpc-error.js";


export interface ParsedBody {
  batch: boolean;
  /** One entry per element; an RpcError where the element is not a valid JSON-RPC message. */
  items: Array<JSONRPCMessage | { invalid: RpcError; id: RequestId | null }>;
}

/** POST bodies must be JSON; anything else is refused with 415. */
export function requireJsonContentType(contentType: string | undefined): void {
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? "")) {
    throw new HttpProtocolError(415, RpcCodes.badRequest, "Unsupported Media Type: Content-Type must be application/json");
  }
}

export function parseBody(body: Buffer, maxDepth: number): ParsedBody {
  if (!isUtf8(body)) throw new HttpProtocolError(400, RpcCodes.parseError, "Parse error: the body is not valid UTF-8");
  const text = body.toString("utf8");
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
