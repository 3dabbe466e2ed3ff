import { describe, expect, it } from "vitest";
import { compileNameFilter } from "../../src/gateway/name-filter.js";
import { paginate } from "../../src/gateway/paginate.js";
import { createHostOriginPolicy } from "../../src/http/host-origin-check.js";

describe("tool name filters", () => {
  it("applies include globs, then exclude globs", () => {
    const f = compileNameFilter(["get_*", "search"], ["get_secret*"]);
    expect(["get_issue", "search", "get_secret_key", "delete_repo"].filter(f)).toEqual(["get_issue", "search"]);
  });
  it("exposes everything without lists", () => {
    expect(compileNameFilter(undefined, [])("anything")).toBe(true);
  });
});

describe("pagination", () => {
  const items = Array.from({ length: 25 }, (_, i) => i);
  it("walks every item exactly once with opaque cursors", () => {
    const seen: number[] = [];
    let cursor: unknown;
    for (let i = 0; i < 10; i++) {
      const page = paginate(items, "tools", cursor, 10);
      seen.push(...(page.tools as number[]));
      cursor = page.nextCursor;
      if (cursor === undefined) break;
    }
    expect(seen).toEqual(items);
  });
  it("refuses a cursor it did not make", () => {
    expect(() => paginate(items, "tools", "bogus", 10)).toThrow(/unknown cursor/);
  });
});

describe("Host and Origin policy", () => {
  const p = createHostOriginPolicy({ bindHost: "127.0.0.1", allowedHosts: ["mcp.example.com"], allowedOrigins: ["https://app.example.com"] });
  it("accepts localhost hosts with any port and configured hosts", () => {
    expect(p.check({ host: "localhost:8080" })).toBeUndefined();
    expect(p.check({ host: "127.0.0.1:1" })).toBeUndefined();
    expect(p.check({ host: "[::1]:9" })).toBeUndefined();
    expect(p.check({ host: "mcp.example.com" })).toBeUndefined();
  });
  it("refuses a foreign Host (DNS rebinding)", () => {
    expect(p.check({ host: "evil.example.com" })).toMatch(/not allowed/);
  });
  it("refuses a hostile Origin and accepts configured and localhost origins", () => {
    expect(p.check({ host: "localhost", origin: "http://evil.example.com" })).toMatch(/Origin/);
    expect(p.check({ host: "localhost", origin: "https://app.example.com" })).toBeUndefined();
    expect(p.check({ host: "localhost", origin: "http://localhost:3000" })).toBeUndefined();
  });
});
