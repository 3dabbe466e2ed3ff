// Downstream pagination of aggregated lists with opaque cursors (the offset, encoded).
import { RpcCodes, RpcError } from "../mcp/rpc-error.js";

function decodeCursor(cursor: unknown): number {
  const m = typeof cursor === "string" ? /^o:(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8")) : null;
  if (!m) throw new RpcError(RpcCodes.invalidParams, "Invalid params: unknown cursor");
  return Number(m[1]);
}

export function paginate<T>(items: T[], key: string, cursor: unknown, pageSize: number): Record<string, unknown> {
  const offset = cursor === undefined ? 0 : decodeCursor(cursor);
  const out: Record<string, unknown> = { [key]: items.slice(offset, offset + pageSize) };
  if (offset + pageSize < items.length) out.nextCursor = Buffer.from(`o:${offset + pageSize}`).toString("base64url");
  return out;
}
