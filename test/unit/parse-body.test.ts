import { describe, expect, it } from "vitest";
import { parseBody } from "../../src/mcp/parse-body.js";
import { HttpProtocolError } from "../../src/mcp/rpc-error.js";

function refusal(body: Buffer | string): HttpProtocolError {
  try {
    parseBody(typeof body === "string" ? Buffer.from(body) : body, 64);
  } catch (err) {
    return err as HttpProtocolError;
  }
  throw new Error("expected a refusal");
}

describe("parseBody", () => {
  it("accepts a request, a notification and a response", () => {
    const r = parseBody(Buffer.from('[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"n"},{"jsonrpc":"2.0","id":"x","result":{}}]'), 64);
    expect(r.batch).toBe(true);
    expect(r.items.every((i) => !("invalid" in i))).toBe(true);
  });

  it("answers -32700 for malformed JSON", () => {
    const e = refusal('{"jsonrpc":"2.0",');
    expect(e.status).toBe(400);
    expect(e.code).toBe(-32700);
  });

  it("answers -32700 for invalid UTF-8", () => {
    const e = refusal(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]));
    expect(e.code).toBe(-32700);
    expect(e.message).toMatch(/UTF-8/);
  });

  it("refuses JSON nested deeper than the limit without parsing it", () => {
    const e = refusal("[".repeat(100_000) + "]".repeat(100_000));
    expect(e.code).toBe(-32700);
    expect(e.message).toMatch(/nested deeper than 64/);
  });

  it("does not count brackets inside strings as nesting", () => {
    const r = parseBody(Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "x", params: { s: "[[[[".repeat(100) + '\\"' } })), 64);
    expect("invalid" in r.items[0]!).toBe(false);
  });

  it.each([
    ['{"jsonrpc":"1.0","id":1,"method":"ping"}', /jsonrpc/],
    ['{"jsonrpc":"2.0","id":1}', /method|result/],
    ['{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}', /"id"/],
    ['{"jsonrpc":"2.0","id":null,"method":"ping"}', /"id"/],
    ['{"jsonrpc":"2.0","id":1,"method":""}', /method/],
    ['{"jsonrpc":"2.0","id":1,"method":"x","params":[1]}', /params/],
    ["42", /object/],
  ])("marks %s as an invalid request", (text, why) => {
    const r = parseBody(Buffer.from(text), 64);
    const item = r.items[0]!;
    expect("invalid" in item && item.invalid.code).toBe(-32600);
    expect("invalid" in item && item.invalid.message).toMatch(why);
  });

  it("refuses an empty batch", () => {
    expect(refusal("[]").code).toBe(-32600);
  });
});
