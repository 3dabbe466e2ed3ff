// `sapper audit` against supergateway (stateful Streamable HTTP) in front of server-everything's stdio:
// a peer gateway that gets sessions right (404, random ids, 413) but has no auth, no Origin/Host
// validation and no rate limit.
import { describe, expect, it } from "vitest";
import type { Status } from "../../src/audit/check.js";
import { auditOnce, expectVerdicts, startSupergateway } from "./audit-targets.js";

const audited = auditOnce(startSupergateway, { burst: 30, concurrency: 8 });
const { byId } = audited;

describe("audit of supergateway in front of server-everything", () => {
  it("gives each check the expected verdict", () => {
    const expected: Record<string, Status> = {
      "transport.reachable": "pass",
      "transport.streamable-http": "pass",
      "transport.protocol-version": "pass",
      "transport.tls": "pass",
      "auth.required": "fail",
      "auth.resource-metadata": "fail",
      "auth.authorization-server-metadata": "skip",
      "auth.token-in-query": "skip",
      "auth.invalid-token": "skip",
      "browser.origin": "fail",
      "browser.dns-rebinding": "fail",
      "browser.cors": "pass",
      "session.unknown-id": "pass",
      "session.id-entropy": "pass",
      "session.principal-binding": "skip",
      "robustness.malformed-json": "warn",
      "robustness.invalid-request": "pass",
      "robustness.oversized-body": "pass",
      "context.tool-count": "pass",
      "context.token-cost": "pass",
      "supplychain.poisoning": "pass",
      "concurrency.sessions": "pass",
      "ratelimit.burst": "fail",
    };
    expectVerdicts(audited, expected);
    expect(audited.report.facts).toMatchObject({ transport: "streamable-http", sessionful: true });
  });

  it("shows the evidence behind each finding", () => {
    expect(byId("session.unknown-id").evidence.exchanges[0]!.response!.status).toBe(404);
    expect(byId("browser.cors").summary).toBe("no Access-Control-Allow-Origin for a foreign origin");
    const malformed = byId("robustness.malformed-json");
    expect(malformed.summary).toMatch(/refused with HTTP 400, but without a JSON-RPC error body/);
    expect(malformed.evidence.exchanges[0]!.request.body).toBe('{"jsonrpc":"2.0","id":1,"method":"ping"');
    expect(byId("browser.dns-rebinding").evidence.exchanges[0]!.response!.status).toBe(200);
    expect(byId("ratelimit.burst").evidence.data).toMatchObject({ sent: 30, limited: 0 });
    expect(byId("concurrency.sessions").evidence.data).toMatchObject({ sessions: 8, failedSessions: 0 });
  });
});
