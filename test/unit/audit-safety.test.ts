// The auditor's own safety: only safe methods leave it, nothing secret is printed, load is only sent
// where allowed, and every count the user controls is bounded.
import { describe, expect, it } from "vitest";
import type { AuditContext } from "../../src/audit/audit-check.js";
import { isLoopbackHost } from "../../src/audit/audit-check.js";
import { burst, burstAllowed } from "../../src/audit/checks/rate-limit.js";
import type { Discovery } from "../../src/audit/discovery.js";
import { HttpProbe, RequestBudget } from "../../src/audit/http-probe.js";
import { Redactor, maskSecretValue } from "../../src/audit/redactor.js";
import { defaultAuditOptions } from "../../src/audit/run-audit.js";
import { assertSafeBody } from "../../src/audit/safe-methods.js";
import { parseCall, parseHeaders } from "../../src/cli/audit.js";
import { isSapperError } from "../../src/errors.js";

describe("the safe-method gate", () => {
  it("lets handshakes, lists and pings through", () => {
    for (const method of ["initialize", "notifications/initialized", "ping", "tools/list", "prompts/list", "resources/list", "resources/templates/list", "server/discover"]) {
      expect(() => assertSafeBody(JSON.stringify({ jsonrpc: "2.0", id: 1, method }), undefined)).not.toThrow();
    }
  });

  it("refuses tool calls, reads and anything else that could act on the server", () => {
    for (const method of ["tools/call", "resources/read", "prompts/get", "completion/complete", "logging/setLevel", "resources/subscribe", "tasks/cancel"]) {
      let error: unknown;
      try {
        assertSafeBody(JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { name: "x" } }), undefined);
      } catch (err) {
        error = err;
      }
      expect(isSapperError(error, "SAPPER_AUDIT_UNSAFE_REQUEST"), method).toBe(true);
    }
  });

  it("allows tools/call only for the tool named with --call, also inside a batch", () => {
    const call = (name: string) => ({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: {} } });
    expect(() => assertSafeBody(JSON.stringify(call("echo")), "echo")).not.toThrow();
    expect(() => assertSafeBody(JSON.stringify(call("delete_repo")), "echo")).toThrow(/delete_repo|tools\/call/);
    expect(() => assertSafeBody(JSON.stringify([call("echo"), call("delete_repo")]), "echo")).toThrow(/tools\/call/);
  });

  it("lets malformed bodies through, since they carry no method", () => {
    expect(() => assertSafeBody('{"jsonrpc":"2.0","id":1,"method":"tools/ca', undefined)).not.toThrow();
  });

  it("stops an unsafe body before it reaches the network", async () => {
    const budget = new RequestBudget(10);
    const probe = new HttpProbe({ redactor: new Redactor(), budget, signal: new AbortController().signal, requestTimeoutMs: 1000, baseHeaders: {}, allowedTool: undefined });
    // Port 9 on loopback: if the gate let the request through, the error would be a refused connection.
    const r = await probe.send({ method: "POST", url: new URL("http://127.0.0.1:9/mcp"), body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "x" } }) });
    expect(r.status).toBeUndefined();
    expect(r.error).toMatch(/^SAPPER_AUDIT_UNSAFE_REQUEST/);
    budget.close();
  });

  it("refuses requests beyond the audit's request budget", async () => {
    const budget = new RequestBudget(1);
    const probe = new HttpProbe({ redactor: new Redactor(), budget, signal: new AbortController().signal, requestTimeoutMs: 500, baseHeaders: {}, allowedTool: undefined });
    await probe.send({ method: "GET", url: new URL("http://127.0.0.1:9/") });
    const second = await probe.send({ method: "GET", url: new URL("http://127.0.0.1:9/") });
    expect(second.error).toMatch(/request budget of 1 requests/);
    budget.close();
  });
});

describe("redaction", () => {
  const token = "s3cr3t-token/with+chars=";
  const r = new Redactor();
  r.addSecret(token);
  r.addSessionId("0123456789abcdef0123456789abcdef");

  it("replaces a token given by the user wherever it appears, raw or URL-encoded", () => {
    expect(r.text(`Bearer ${token} and ${encodeURIComponent(token)}`)).toBe("Bearer [redacted] and [redacted]");
  });

  it("hides Authorization and cookies whatever their value, keeping the scheme", () => {
    expect(r.headers({ Authorization: "Bearer anything-at-all", cookie: "a=b", origin: "https://x" })).toEqual({ Authorization: "Bearer [redacted]", cookie: "[redacted]", origin: "https://x" });
  });

  it("hides credentials and token query parameters in URLs", () => {
    expect(r.url("https://user:pw@mcp.example.com/mcp?access_token=abc&x=1")).toBe("https://%5Bredacted%5D:%5Bredacted%5D@mcp.example.com/mcp?access_token=%5Bredacted%5D&x=1");
  });

  it("shortens session ids to a prefix and their length", () => {
    expect(r.text("id 0123456789abcdef0123456789abcdef")).toBe("id 012345…(32 chars)");
  });

  it("masks secrets found by lint to a recognisable prefix", () => {
    expect(maskSecretValue(`ghp_${"x".repeat(36)}`)).toBe("ghp_…(40 chars)");
    expect(maskSecretValue("plainsecretvalue")).toBe("…(16 chars)");
  });
});

describe("load is sent only where allowed", () => {
  it("treats loopback names and addresses as loopback, nothing else", () => {
    expect(["127.0.0.1", "127.3.2.1", "localhost", "api.localhost", "[::1]", "::1"].every(isLoopbackHost)).toBe(true);
    expect(["192.0.2.10", "mcp.example.com", "10.0.0.1", "localhost.example.com"].some(isLoopbackHost)).toBe(false);
  });

  it("allows the burst against a non-loopback host only when --allow-host names it", () => {
    const ctx = (allowHosts: string[]) => ({ options: defaultAuditOptions(new URL("https://mcp.example.com/mcp"), { allowHosts }) }) as AuditContext;
    expect(burstAllowed(ctx([]))).toBe(false);
    expect(burstAllowed(ctx(["other.example.com"]))).toBe(false);
    expect(burstAllowed(ctx(["MCP.example.com"]))).toBe(true);
  });

  it("sends nothing and skips the burst against a host that is not allowed", async () => {
    const budget = new RequestBudget(100);
    const signal = new AbortController().signal;
    const probe = new HttpProbe({ redactor: new Redactor(), budget, signal, requestTimeoutMs: 500, baseHeaders: {}, allowedTool: undefined });
    const url = new URL("http://192.0.2.77/mcp");
    const discovery: Discovery = { verdict: "streamable-http", url, session: "streamable-http", reason: "", sessionful: true, exchanges: [] };
    const ctx: AuditContext = {
      options: defaultAuditOptions(url),
      discovery,
      probe,
      signal,
      token: undefined,
      openSession: () => {
        throw new Error("no session may be opened");
      },
      memo: (_k, compute) => compute(),
    };
    const outcome = await burst.run(ctx);
    expect(outcome.status).toBe("skip");
    expect(outcome.summary).toMatch(/not sent: 192\.0\.2\.77 is not a loopback host; add --allow-host 192\.0\.2\.77/);
    expect(budget.count).toBe(0);
    budget.close();
  });
});

describe("command-line values", () => {
  it("parses --call as a tool name and a JSON object", () => {
    expect(parseCall('echo:{"message":"hi"}')).toEqual({ tool: "echo", args: { message: "hi" } });
    expect(parseCall("get-tiny-image")).toEqual({ tool: "get-tiny-image", args: {} });
    expect(() => parseCall("echo:[1]")).toThrow(/must be a JSON object/);
    expect(() => parseCall(":{}")).toThrow(/needs a tool name/);
  });

  it("parses --header values and refuses ones without a colon", () => {
    expect(parseHeaders(["X-Api-Key: abc:def"])).toEqual({ "x-api-key": "abc:def" });
    expect(() => parseHeaders(["nocolon"])).toThrow(/Name: value/);
  });
});
