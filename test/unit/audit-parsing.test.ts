// The small parsers and estimators the checks rely on: session-id entropy, Bearer challenges, the
// event-stream parser, the score, and the lint parsers for Dockerfiles, compose ports and client configs.
import { describe, expect, it } from "vitest";
import { resultOf, type CheckMeta, type Status } from "../../src/audit/check.js";
import { resourceKey, resourceMetadataCandidates, authorizationServerMetadataCandidates } from "../../src/audit/checks/auth.js";
import { percentile } from "../../src/audit/checks/concurrency.js";
import { isInlineSecret, launchedPackage, stripJsonc } from "../../src/audit/lint/client-config.js";
import { parsePorts } from "../../src/audit/lint/compose.js";
import { parseDockerfile } from "../../src/audit/lint/dockerfile.js";
import { breaches, summarize } from "../../src/audit/score.js";
import { estimateSessionIdEntropy } from "../../src/audit/session-entropy.js";
import { SseParser } from "../../src/audit/sse-parser.js";
import { parseChallenge } from "../../src/audit/www-authenticate.js";

describe("session id entropy", () => {
  it("credits random UUIDs with 122 bits", () => {
    const ids = ["3f1c2a4e-8b7d-4c1e-9a2b-1c3d5e7f9a0b", "a9e8d7c6-b5a4-4f3e-8d2c-1b0a9f8e7d6c", "0b1c2d3e-4f5a-4b6c-ad8e-9f0a1b2c3d4e"];
    expect(estimateSessionIdEntropy(ids)).toEqual({ bits: 122, format: "uuid v4" });
  });

  it("marks time-based UUIDs as predictable", () => {
    const ids = ["c232ab00-9414-11ec-b3c8-9f6bdeced846", "c232ab01-9414-11ec-b3c8-9f6bdeced846"];
    const e = estimateSessionIdEntropy(ids);
    expect(e.bits).toBeLessThan(64);
    expect(e.reason).toMatch(/clock/);
  });

  it("gives counters and repeated ids no entropy", () => {
    expect(estimateSessionIdEntropy(["1001", "1002", "1003"]).bits).toBe(0);
    expect(estimateSessionIdEntropy(["abcdefabcdef", "abcdefabcdef"]).format).toBe("repeated");
  });

  it("counts only the characters that vary between samples", () => {
    const random = ["8f14e45fceea167a5a36dedd4bea2543", "c9f0f895fb98ab9159f51fd0297e236d", "45c48cce2e2d7fbdea1afc51c7c6ad26"];
    expect(estimateSessionIdEntropy(random).bits).toBeGreaterThanOrEqual(120);
    const prefixed = ["sess-2026-11-25-0001-a1", "sess-2026-11-25-0001-b7", "sess-2026-11-25-0001-c3"];
    const e = estimateSessionIdEntropy(prefixed);
    expect(e.bits).toBeLessThan(20);
    expect(e.reason).toMatch(/only 2 of 23 characters differ/);
  });
});

describe("WWW-Authenticate", () => {
  it("reads the scheme and quoted or bare parameters", () => {
    expect(parseChallenge('Bearer realm="mcp", resource_metadata="https://a.example/.well-known/oauth-protected-resource/mcp", error=invalid_token')).toEqual({
      scheme: "Bearer",
      params: { realm: "mcp", resource_metadata: "https://a.example/.well-known/oauth-protected-resource/mcp", error: "invalid_token" },
    });
    expect(parseChallenge(undefined)).toBeUndefined();
  });
});

describe("RFC 9728 and RFC 8414 locations", () => {
  it("inserts the resource path after the well-known prefix, then tries the root", () => {
    expect(resourceMetadataCandidates(new URL("https://mcp.example.com/v1/mcp/")).map(String)).toEqual([
      "https://mcp.example.com/.well-known/oauth-protected-resource/v1/mcp",
      "https://mcp.example.com/.well-known/oauth-protected-resource",
    ]);
    expect(authorizationServerMetadataCandidates(new URL("https://id.example.com/realms/a")).map(String)).toEqual([
      "https://id.example.com/.well-known/oauth-authorization-server/realms/a",
      "https://id.example.com/.well-known/openid-configuration/realms/a",
      "https://id.example.com/realms/a/.well-known/openid-configuration",
    ]);
  });

  it("compares resources by scheme, host, port and path, ignoring a trailing slash and host case", () => {
    expect(resourceKey("https://MCP.example.com/mcp/")).toBe(resourceKey("https://mcp.example.com/mcp"));
    expect(resourceKey("https://mcp.example.com:8443/mcp")).not.toBe(resourceKey("https://mcp.example.com/mcp"));
  });
});

describe("event-stream parser", () => {
  it("assembles events across chunk boundaries and ignores comments", () => {
    const p = new SseParser();
    expect(p.feed(": keep-alive\n\nevent: endpoint\ndata: /mess")).toEqual([]);
    expect(p.feed("age?sessionId=1\n\nid: 7\ndata: {\"a\":\ndata: 1}\r\n\r\n")).toEqual([
      { event: "endpoint", data: "/message?sessionId=1" },
      { event: "message", data: '{"a":\n1}', id: "7" },
    ]);
  });
});

describe("score and --fail-on", () => {
  const meta = (severity: CheckMeta["severity"]): CheckMeta => ({ id: `x.${severity}`, family: "x", title: "", severity, checklist: [1], description: "", fix: "" });
  const r = (severity: CheckMeta["severity"], status: Status) => resultOf(meta(severity), status, "");

  it("weights results by severity, gives half credit to warnings and ignores skips", () => {
    expect(summarize([r("critical", "pass"), r("low", "fail")]).score).toBe(91);
    expect(summarize([r("high", "warn"), r("medium", "skip")])).toMatchObject({ score: 50, grade: "D", warn: 1, skip: 1 });
  });

  it("exits non-zero only at or above the chosen level", () => {
    const warned = [r("high", "pass"), r("low", "warn")];
    expect(breaches(warned, "fail")).toBe(false);
    expect(breaches(warned, "warn")).toBe(true);
    expect(breaches([r("low", "fail")], "never")).toBe(false);
  });

  it("computes nearest-rank percentiles", () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 99)).toBe(100);
  });
});

describe("lint parsers", () => {
  it("joins continuation lines and skips comments in a Dockerfile", () => {
    expect(parseDockerfile("FROM node:20\n# comment\nRUN a \\\n  # inner\n  && b\nUSER node\n")).toEqual([
      { keyword: "FROM", args: "node:20", line: 1 },
      { keyword: "RUN", args: "a    && b", line: 3 },
      { keyword: "USER", args: "node", line: 6 },
    ]);
  });

  it("reads compose ports in short and long syntax", () => {
    expect(parsePorts(["8080:3000", "127.0.0.1:9090:9090/tcp", 7000, { target: 80, published: 8081 }, "6000-6005:6000-6005"])).toEqual([
      { target: 3000, published: 8080, raw: "8080:3000" },
      { target: 9090, published: 9090, raw: "127.0.0.1:9090:9090/tcp" },
      { target: 7000, raw: "7000" },
      { target: 80, published: 8081, raw: '{"target":80,"published":8081}' },
    ]);
  });

  it("finds the package a launcher runs and whether it is pinned", () => {
    expect(launchedPackage("npx", ["-y", "@modelcontextprotocol/server-github"])).toEqual({ launcher: "npx", pkg: "@modelcontextprotocol/server-github", pinned: false });
    expect(launchedPackage("npx", ["-y", "@modelcontextprotocol/server-github@2025.4.8"])?.pinned).toBe(true);
    expect(launchedPackage("npx", ["-y", "pkg@latest"])?.pinned).toBe(false);
    expect(launchedPackage("npx", ["--package=tool@1.2.3", "tool-bin"])).toEqual({ launcher: "npx", pkg: "tool@1.2.3", pinned: true });
    expect(launchedPackage("uvx", ["mcp-server-fetch==2025.4.7"])?.pinned).toBe(true);
    expect(launchedPackage("uvx", ["mcp-server-fetch"])?.pinned).toBe(false);
    expect(launchedPackage("docker", ["run", "-i", "--rm", "-e", "TOKEN", "ghcr.io/github/github-mcp-server"])).toEqual({ launcher: "docker run", pkg: "ghcr.io/github/github-mcp-server", pinned: false });
    expect(launchedPackage("docker", ["run", "-i", "mcp/fetch@sha256:0123"])?.pinned).toBe(true);
    expect(launchedPackage("node", ["server.js"])).toBeUndefined();
  });

  it("tells secrets written inline from references and placeholders", () => {
    expect(isInlineSecret("GITHUB_PERSONAL_ACCESS_TOKEN", "${env:GITHUB_TOKEN}")).toBe(false);
    expect(isInlineSecret("API_KEY", "${input:api-key}")).toBe(false);
    expect(isInlineSecret("API_KEY", "<your-key>")).toBe(false);
    expect(isInlineSecret("API_KEY", "9f8e7d6c5b4a39281706")).toBe(true);
    expect(isInlineSecret("DEBUG", `ghp_${"x".repeat(36)}`)).toBe(true);
    expect(isInlineSecret("Authorization", "Bearer abcdef0123456789")).toBe(true);
    expect(isInlineSecret("Authorization", "Bearer ${env:TOKEN}")).toBe(false);
    expect(isInlineSecret("LOG_LEVEL", "debugging-everything")).toBe(false);
  });

  it("reads VS Code's JSON with comments and trailing commas", () => {
    expect(JSON.parse(stripJsonc('{\n  // servers\n  "a": "http://x//y", /* c */\n  "b": [1,],\n}'))).toEqual({ a: "http://x//y", b: [1] });
  });
});
