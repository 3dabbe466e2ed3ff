import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderConfigReference } from "../../src/config/config-reference.js";

describe("configuration reference", () => {
  it("documents every key of the schema, with defaults", () => {
    const doc = renderConfigReference();
    for (const key of ["server.port", "server.allowedOrigins", "namespacing.separator", "upstreams.<name>.command", "upstreams.<name>.url", "upstreams.<name>.prefix"]) {
      expect(doc).toContain(`\`${key}\``);
    }
    expect(doc).toMatch(/`server\.path` \| string \| `"\/mcp"`/);
  });

  it("is what docs/configuration.md says (run npm run docs:config after changing the schema)", () => {
    expect(readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8")).toBe(renderConfigReference());
  });
});
