// `sapper audit` against server-everything in legacy SSE mode (the HTTP+SSE transport of 2024-11-05):
// reported as a deprecated transport, not as a dead endpoint, and audited as far as that transport allows.
import { describe, expect, it } from "vitest";
import type { Status } from "../../src/audit/check.js";
import { defaultAuditOptions, runAudit } from "../../src/audit/run-audit.js";
import { auditOnce, expectVerdicts, startEverything } from "./audit-targets.js";

const audited = auditOnce(() => startEverything("sse"), { burst: 20, concurrency: 5 }, 120_000);
const { byId } = audited;

describe("audit of a legacy SSE-only server", () => {
  it("reports the transport as deprecated, not dead", () => {
    expect(byId("transport.reachable").status).toBe("pass");
    const transport = byId("transport.streamable-http");
    expect(transport.status).toBe("warn");
    expect(transport.summary).toMatch(/^deprecated transport: POST initialize answered HTTP 404; GET \/sse opened a legacy HTTP\+SSE stream \(endpoint \/message\)/);
    expect(transport.evidence.exchanges.some((e) => e.request.method === "GET" && e.response?.headers["content-type"]?.includes("text/event-stream"))).toBe(true);
    expect(audited.report.facts.transport).toBe("legacy-sse");
  });

  it("still audits what the legacy transport allows, and skips what only Streamable HTTP has", () => {
    const expected: Record<string, Status> = {
      "transport.protocol-version": "pass",
      "auth.required": "fail",
      "browser.origin": "fail",
      "browser.dns-rebinding": "fail",
      "browser.cors": "fail",
      "session.unknown-id": "skip",
      "session.id-entropy": "skip",
      "robustness.malformed-json": "skip",
      "context.tool-count": "pass",
      "context.token-cost": "pass",
      "supplychain.poisoning": "pass",
      "concurrency.sessions": "pass",
      "ratelimit.burst": "fail",
    };
    expectVerdicts(audited, expected);
    expect(byId("session.unknown-id").summary).toMatch(/speaks only legacy SSE/);
    expect(byId("concurrency.sessions").evidence.data).toMatchObject({ sessions: 5, failedSessions: 0 });
  });

  it("finds the SSE endpoint next to a Streamable HTTP URL that does not answer", async () => {
    const base = new URL(audited.url);
    base.pathname = "/mcp";
    const r = await runAudit(defaultAuditOptions(base), []);
    expect(r.facts.transport).toBe("legacy-sse");
    expect(r.facts.mcpUrl).toBe(audited.url);
  });
});
