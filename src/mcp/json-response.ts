// JSON and empty HTTP responses with an explicit Content-Length. Without one, Node sends the body
// chunked: an extra framing the client must parse, and a vectored write where one write would do.
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";

/** Writes status, headers and the JSON of `payload` as one complete response. */
export function writeJson(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, payload: unknown): void {
  const body = JSON.stringify(payload);
  headers["content-type"] = "application/json";
  headers["content-length"] = Buffer.byteLength(body);
  res.writeHead(status, headers);
  res.end(body);
}

/** Writes a response with no body (202 Accepted, 200 to a DELETE). */
export function writeEmpty(res: ServerResponse, status: number, headers: OutgoingHttpHeaders): void {
  headers["content-length"] = 0;
  res.writeHead(status, headers);
  res.end();
}
