// `sapper audit` against the official server-everything served directly over Streamable HTTP: no
// auth, permissive CORS, no Origin/Host validation, 400 for unknown sessions, no rate limit.
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import type { Report, Status } from "../../src/audit/check.js";
import { auditOnce, expectVerdicts, sapperAudit, startEverything } from "./audit-targets.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const audited = auditOnce(() => startEverything("streamableHttp"), { burst: 40, concurrency: 10 }, 120_000);
const { byId } = audited;

describe("audit of server-everything over Streamable HTTP", () => {
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
      "browser.cors": "fail",
      "session.unknown-id": "fail",
      "session.id-entropy": "pass",
      "session.principal-binding": "skip",
      "robustness.malformed-json": "pass",
      "robustness.invalid-request": "warn",
      "robustness.oversized-body": "pass",
      "context.tool-count": "pass",
      "context.token-cost": "pass",
      "supplychain.poisoning": "pass",
      "concurrency.sessions": "pass",
      "ratelimit.burst": "fail",
    };
    expectVerdicts(audited, expected);
    expect(audited.report.facts).toMatchObject({ transport: "streamable-http", protocolVersion: "2025-11-25", sessionful: true });
    expect(audited.report.facts.server).toMatch(/^mcp-servers\/everything /);
  });

  it("shows an unauthenticated initialize succeeding as the evidence of missing auth", () => {
    const r = byId("auth.required");
    const ex = r.evidence.exchanges[0]!;
    expect(ex.request.method).toBe("POST");
    expect(ex.request.headers.authorization).toBeUndefined();
    expect(ex.request.body).toContain('"method":"initialize"');
    expect(ex.response!.status).toBe(200);
    expect(ex.response!.headers["mcp-session-id"]).toMatch(/…\(36 chars\)$/);
    expect(r.evidence.data.unauthenticatedAccepted).toBe(true);
  });

  it("shows the forged Host and Origin that were accepted as the evidence of DNS rebinding", () => {
    const rebind = byId("browser.dns-rebinding").evidence.exchanges[0]!;
    expect(rebind.request.headers.host).toBe(`sapper-audit.invalid:${new URL(audited.url).port}`);
    expect(rebind.request.headers.origin).toBe(`http://sapper-audit.invalid:${new URL(audited.url).port}`);
    expect(rebind.response!.status).toBe(200);
    const origin = byId("browser.origin").evidence.exchanges[0]!;
    expect(origin.request.headers.origin).toBe("https://sapper-audit.invalid");
    expect(origin.response!.status).toBe(200);
    expect(byId("browser.cors").evidence.data).toMatchObject({ preflightAllowOrigin: "*" });
  });

  it("shows the whole burst answered without a single 429 as the evidence of no rate limit", () => {
    expect(byId("ratelimit.burst").evidence.data).toMatchObject({ sent: 40, limited: 0, statuses: ["200: 40"] });
  });

  it("measures sessions, percentiles, tools and token cost", () => {
    expect(byId("session.unknown-id").evidence.exchanges[0]!.response!.status).toBe(400);
    expect(byId("session.id-entropy").evidence.data).toMatchObject({ format: "uuid v4", estimatedBits: 122 });
    expect(byId("concurrency.sessions").evidence.data).toMatchObject({ sessions: 10, failedSessions: 0, requests: 30 });
    expect(byId("context.tool-count").evidence.data.tools).toBeGreaterThan(5);
    expect(byId("context.token-cost").evidence.data.tokens).toBeGreaterThan(500);
    expect(byId("robustness.oversized-body").summary).toMatch(/^a 8\.0 MiB body was refused(?: with 413|: the server closed the connection while the request was being sent|: connection reset by the server)$/);
  });
});

describe("the CLI against server-everything", () => {
  it("exits 1 with --fail-on fail, prints JSON, and never prints the token", () => {
    const token = "cli-token-must-not-leak-0123456789";
    const r = sapperAudit([audited.url, "--json", "--fail-on", "fail", "--token-env", "AUDIT_TEST_TOKEN", "--burst", "10", "--concurrency", "3", "--only", "transport,auth,browser,ratelimit"], { AUDIT_TEST_TOKEN: token });
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout) as Report;
    expect(json.results.map((x) => x.family)).toEqual(expect.arrayContaining(["transport", "auth", "browser", "ratelimit"]));
    expect(json.results.some((x) => x.family === "session")).toBe(false);
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(r.stderr).toContain("Score ");
    expect(r.stdout).toContain("Bearer [redacted]");
  });

  it("exits 0 under the default --fail-on never and writes SARIF that validates against the 2.1.0 schema", () => {
    const r = sapperAudit([audited.url, "--sarif", "--burst", "5", "--concurrency", "2", "--no-color"]);
    expect(r.status).toBe(0);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL("../fixtures/audit/sarif-schema-2.1.0.json", import.meta.url), "utf8")) as object);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string }[] }[] };
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0]!.results.map((x) => x.ruleId)).toEqual(expect.arrayContaining(["auth.required", "browser.dns-rebinding", "ratelimit.burst"]));
  });

  it("refuses bad usage with exit 2 and a coded message", () => {
    const bad = sapperAudit(["ftp://example.com/mcp"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/SAPPER_AUDIT_TARGET_INVALID/);
    const burst = sapperAudit([audited.url, "--burst", "100000"]);
    expect(burst.status).toBe(2);
    expect(burst.stderr).toMatch(/--burst must be a whole number from 1 to 500/);
    const missing = sapperAudit([audited.url, "--token-env", "AUDIT_TEST_UNSET_VARIABLE"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/SAPPER_AUDIT_TOKEN_ENV_MISSING: --token-env AUDIT_TEST_UNSET_VARIABLE/);
  });

  it("lists the checks with the checklist items they cover", () => {
    const r = sapperAudit(["--list-checks"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}15\. Supply chain/m);
    expect(r.stdout).toMatch(/ratelimit\.burst +high +#12/);
  });
});
