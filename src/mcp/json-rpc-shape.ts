// The JSON-RPC 2.0 message shapes, checked structurally on values that are already parsed: used
// for downstream bodies and for every line an upstream writes.
import type {
  JSONRPCErrorResponse,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResponse,
  RequestId,
} from "@modelcontextprotocol/server";
import { RpcCodes, RpcError } from "./rpc-error.js";

function isValidId(id: unknown): id is RequestId {
  return typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
}

/**
 * Checks one parsed JSON value against the JSON-RPC 2.0 message shapes (request, notification,
 * response) without copying it: a structural check, cheaper than a schema parse on the hot path.
 */
export function checkMessage(m: unknown): JSONRPCMessage | { invalid: RpcError; id: RequestId | null } {
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

// Classification of messages that already passed checkMessage (or an SDK transport's validation):
// property tests only, no schema parse on the hot path.
export function isRequest(m: JSONRPCMessage): m is JSONRPCRequest {
  return "method" in m && "id" in m;
}
export function isNotification(m: JSONRPCMessage): m is JSONRPCNotification {
  return "method" in m && !("id" in m);
}
export function isResponse(m: JSONRPCMessage): m is JSONRPCResponse {
  return !("method" in m);
}
export function isErrorResponse(m: JSONRPCMessage): m is JSONRPCErrorResponse {
  return !("method" in m) && "error" in m;
}
