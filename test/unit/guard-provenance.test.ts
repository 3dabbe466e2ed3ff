import { describe, expect, it } from "vitest";
import { checkCommandLine, checkNpmMetadata, checkProvenance, loadOfficialPackages, parseLaunch, type NpmMetadata } from "../../src/guard/provenance.js";

const official = loadOfficialPackages();
const rules = (command: string, args: string[]) => checkCommandLine(parseLaunch(command, args)!, official).map((f) => f.rule);

describe("package provenance from the command line", () => {
  it("parses npx, uvx and docker launches", () => {
    expect(parseLaunch("npx", ["-y", "@modelcontextprotocol/server-github@2025.4.8"])).toMatchObject({ ecosystem: "npm", name: "@modelcontextprotocol/server-github", version: "2025.4.8" });
    expect(parseLaunch("/usr/bin/npx", ["--yes", "--package=firecrawl-mcp@3.2.1", "firecrawl-mcp"])).toMatchObject({ name: "firecrawl-mcp", version: "3.2.1" });
    expect(parseLaunch("uvx", ["mcp-server-git==2025.1.14", "--repository", "."])).toMatchObject({ ecosystem: "pypi", name: "mcp-server-git", version: "2025.1.14" });
    expect(parseLaunch("uvx", ["--from", "mcp-server-fetch>=1.0", "mcp-server-fetch"])).toMatchObject({ name: "mcp-server-fetch", version: ">=1.0" });
    expect(parseLaunch("docker", ["run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server:v1.2.0"])).toMatchObject({ ecosystem: "docker", name: "ghcr.io/github/github-mcp-server", version: "v1.2.0" });
    expect(parseLaunch("node", ["server.js"])).toBeUndefined();
  });

  it("accepts an exactly pinned official package", () => {
    expect(rules("npx", ["-y", "@modelcontextprotocol/server-memory@2026.8.31"])).toEqual([]);
    expect(rules("docker", ["run", "-i", "mcp/fetch:1.0@sha256:" + "a".repeat(64)])).toEqual([]);
  });

  it("warns on unpinned versions: none, @latest, ranges, docker latest or tag only", () => {
    expect(rules("npx", ["-y", "@modelcontextprotocol/server-memory"])).toEqual(["PV-001"]);
    expect(rules("npx", ["-y", "@modelcontextprotocol/server-memory@latest"])).toEqual(["PV-002"]);
    expect(rules("npx", ["-y", "@modelcontextprotocol/server-memory@^2026.1.0"])).toEqual(["PV-002"]);
    expect(rules("uvx", ["mcp-server-time"])).toEqual(["PV-001"]);
    expect(rules("docker", ["run", "-i", "mcp/fetch"])).toEqual(["PV-001"]);
    expect(rules("docker", ["run", "-i", "mcp/fetch:1.0"])).toEqual(["PV-003"]);
    expect(rules("npx", ["-y", "github:someone/mcp-thing"])).toEqual(["PV-006"]);
  });

  it("flags look-alikes of official packages: small edits, other scopes, dropped scopes", () => {
    expect(rules("npx", ["-y", "@modelcontextprotocol/server-githbu@1.0.0"])).toContain("PV-004");
    expect(rules("npx", ["-y", "@modelcontextprotocoI/server-github@1.0.0"])).toContain("PV-005");
    expect(rules("npx", ["-y", "@mcp-tools/server-filesystem@1.0.0"])).toContain("PV-005");
    expect(rules("npx", ["-y", "server-filesystem@1.0.0"])).toContain("PV-005");
    expect(rules("npx", ["-y", "firecrawl-mpc@1.0.0"])).toContain("PV-004");
    expect(rules("uvx", ["mcp-server-gti==1.0"])).toContain("PV-004");
    // An unrelated package is not a look-alike.
    expect(rules("npx", ["-y", "@acme/weather-mcp@1.0.0"])).toEqual([]);
  });
});

describe("package provenance from npm metadata", () => {
  const now = new Date("2026-11-25T00:00:00Z");
  const meta = (over: Partial<NpmMetadata>): NpmMetadata => ({
    name: "x",
    versions: ["1.0.0", "1.0.1"],
    time: { created: "2025-01-01T00:00:00Z", "1.0.0": "2025-01-01T00:00:00Z", "1.0.1": "2025-06-01T00:00:00Z" },
    distTags: { latest: "1.0.1" },
    ...over,
  });
  const ref = parseLaunch("npx", ["-y", "some-mcp@1.0.1"])!;

  it("reports packages that are brand new, have one version, a fresh release, do not exist, or are deprecated", () => {
    expect(checkNpmMetadata(ref, meta({}), now)).toEqual([]);
    expect(checkNpmMetadata(ref, meta({ time: { created: "2026-11-20T00:00:00Z", "1.0.1": "2026-11-20T00:00:00Z" } }), now).map((f) => f.rule)).toContain("PV-008");
    expect(checkNpmMetadata(ref, meta({ versions: ["1.0.1"] }), now).map((f) => f.rule)).toEqual(["PV-010"]);
    expect(checkNpmMetadata(ref, meta({ time: { created: "2025-01-01T00:00:00Z", "1.0.1": "2026-11-23T00:00:00Z" } }), now).map((f) => f.rule)).toEqual(["PV-009"]);
    expect(checkNpmMetadata(ref, "not-found", now).map((f) => f.rule)).toEqual(["PV-007"]);
    expect(checkNpmMetadata(ref, meta({ deprecated: "use another package" }), now).map((f) => f.rule)).toEqual(["PV-011"]);
  });

  it("still runs the command-line checks when the registry cannot be reached", async () => {
    const r = await checkProvenance(parseLaunch("npx", ["-y", "some-mcp"])!, official, async () => undefined, now);
    expect(r.registry).toBe("unreachable");
    expect(r.findings.map((f) => f.rule)).toEqual(["PV-001"]);
  });
});
