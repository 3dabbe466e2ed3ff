// Reporters: SARIF that validates against the OASIS 2.1.0 schema, HTML that escapes what servers
// send, a terminal report that is coloured only when asked.
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/audit/check.js";
import { runLint } from "../../src/audit/lint/run-lint.js";
import { renderHtml } from "../../src/audit/report/html-report.js";
import { renderSarif } from "../../src/audit/report/sarif-report.js";
import { renderText } from "../../src/audit/report/text-report.js";
import { defaultAuditOptions, runAudit } from "../../src/audit/run-audit.js";
import { startFixtureServer, type FixtureServer } from "../fixtures/audit/configurable-mcp-server.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schema = JSON.parse(readFileSync(new URL("../fixtures/audit/sarif-schema-2.1.0.json", import.meta.url), "utf8")) as Record<string, unknown>;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

const TOKEN = "report-token-0123456789";
let server: FixtureServer;
let audit: Report;

beforeAll(async () => {
  server = await startFixtureServer({ cors: "star", toolDescription: "<script>alert('x')</script> & friends" });
  audit = await runAudit(defaultAuditOptions(new URL(server.url), { tokens: [TOKEN], burst: 10, concurrency: 3, sessionSamples: 2, oversizedBodyBytes: 64 * 1024 }));
});
afterAll(() => server.close());

describe("SARIF", () => {
  it("validates against the SARIF 2.1.0 schema for an audit, with every check as a rule and only findings as results", () => {
    const sarif = renderSarif(audit);
    expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).toBe(true);
    const run = (sarif.runs as { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: unknown[] }[] }[])[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(audit.checks.map((c) => c.id));
    const findings = audit.results.filter((r) => r.status === "fail" || r.status === "warn");
    expect(run.results.map((r) => r.ruleId)).toEqual(findings.map((f) => f.id));
    expect(run.results.find((r) => r.ruleId === "auth.required")!.level).toBe("error");
  });

  it("attaches remote findings to --sarif-artifact when given", () => {
    const sarif = renderSarif(audit, { artifact: "deploy/sapper.yaml" });
    expect(validateSarif(sarif)).toBe(true);
    expect(JSON.stringify(sarif)).toContain('"uri":"deploy/sapper.yaml"');
  });

  it("validates for a lint report, with file and line of each finding relative to the linted directory", () => {
    const dir = new URL("../fixtures/audit/lint/good", import.meta.url).pathname;
    const report = runLint(dir);
    report.results.push({ ...report.results[0]!, status: "fail", location: { file: "sub dir/Dockerfile", line: 3 } });
    const sarif = renderSarif(report, { root: dir });
    expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).toBe(true);
    const text = JSON.stringify(sarif);
    expect(text).toContain('"uri":"sub%20dir/Dockerfile","uriBaseId":"SRCROOT"');
    expect(text).toContain('"region":{"startLine":3}');
  });

  it("is refused by the schema when it is not SARIF (the validator can fail)", () => {
    const broken = renderSarif(audit) as { version: string };
    broken.version = "2.0.0";
    expect(validateSarif(broken)).toBe(false);
  });
});

describe("HTML", () => {
  it("is one self-contained page: a CSP that forbids scripts and fetches, no script, an inline chart", () => {
    const html = renderHtml(audit);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script|<link|src="http/i);
    expect(html).toMatch(/<svg[^>]*role="img"/);
    expect(html).toContain(`${audit.summary.score}</text>`);
  });

  it("lists every failure and warning first, each linking to its result", () => {
    const html = renderHtml(audit);
    const findings = /<section class="findings">(.*?)<\/section>/s.exec(html)![1]!;
    const linked = [...findings.matchAll(/href="#(result-\d+)"><code>([^<]+)<\/code>/g)];
    expect(linked.map((m) => m[2]).sort()).toEqual(audit.results.filter((r) => r.status === "fail" || r.status === "warn").map((r) => r.id).sort());
    for (const [, anchor] of linked) expect(html).toContain(`<article id="${anchor}"`);
  });

  it("escapes what the audited server sent", () => {
    const withMarkup: Report = { ...audit, results: audit.results.map((r) => ({ ...r, summary: `${r.summary} <img src=x onerror=alert(1)>` })) };
    const html = renderHtml(withMarkup);
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});

describe("terminal report", () => {
  it("groups by family, shows fixes and evidence for findings and ends with the score", () => {
    const text = renderText(audit, { color: false, verbose: false });
    expect(text).not.toContain("\x1b[");
    expect(text).toMatch(/\nauth\n {2}FAIL {2}auth\.required/);
    expect(text).toContain("fix: Require a bearer token");
    expect(text).toMatch(/evidence: POST http:\/\/127\.0\.0\.1:\d+\/mcp → HTTP 200/);
    expect(text).toMatch(new RegExp(`Score ${audit.summary.score}/100 \\(${audit.summary.grade}\\)`));
  });

  it("colours only when asked", () => {
    expect(renderText(audit, { color: true, verbose: false })).toContain("\x1b[31mFAIL\x1b[0m");
  });
});

describe("secrets", () => {
  it("never prints the token in any format, even verbose", () => {
    for (const out of [JSON.stringify(audit), JSON.stringify(renderSarif(audit)), renderHtml(audit), renderText(audit, { color: false, verbose: true })]) {
      expect(out).not.toContain(TOKEN);
    }
    expect(renderText(audit, { color: false, verbose: true })).toContain("authorization: Bearer [redacted]");
  });
});
