// `sapper audit` against `sapper serve` itself, fronting server-everything over stdio. Every check
// whose feature Sapper has today must pass; the checks for features still to come (authentication and
// its metadata, rate limiting) fail with their evidence. When those land, move their ids to `passes`.
import { describe, expect, it } from "vitest";
import { startSapper } from "../helpers/start-sapper.js";
import { auditOnce, everythingEntry } from "./audit-targets.js";

const audited = auditOnce(() => startSapper({ args: ["--", process.execPath, everythingEntry, "stdio"] }), { burst: 50, concurrency: 20 });
const { byId } = audited;

const passes = [
  "transport.reachable",
  "transport.streamable-http",
  "transport.protocol-version",
  "transport.tls",
  "browser.origin",
  "browser.dns-rebinding",
  "browser.cors",
  "session.unknown-id",
  "session.id-entropy",
  "robustness.malformed-json",
  "robustness.invalid-request",
  "robustness.oversized-body",
  "context.tool-count",
  "context.token-cost",
  "supplychain.poisoning",
  "concurrency.sessions",
];
/** Features still to come: no auth in `sapper serve` yet, no rate limits yet. */
const notYet = ["auth.required", "auth.resource-metadata", "ratelimit.burst"];
/** Need auth (a token, two principals) before they can say anything. */
const needAuth = ["auth.authorization-server-metadata", "auth.token-in-query", "auth.invalid-token", "session.principal-binding"];

describe("audit of sapper serve in front of server-everything", () => {
  it("passes every check of a feature Sapper has", () => {
    for (const id of passes) expect(`${id}: ${byId(id).status} (${byId(id).summary})`).toMatch(new RegExp(`^${id.replace(/\./g, "\\.")}: pass `));
  });

  it("fails the checks of features still to come, with evidence", () => {
    for (const id of notYet) expect(`${id}: ${byId(id).status}`).toBe(`${id}: fail`);
    for (const id of needAuth) expect(`${id}: ${byId(id).status}`).toBe(`${id}: skip`);
    expect(new Set([...passes, ...notYet, ...needAuth])).toEqual(new Set(audited.report.results.map((r) => r.id)));

    const auth = byId("auth.required").evidence.exchanges[0]!;
    expect(auth.request.headers.authorization).toBeUndefined();
    expect(auth.response!.status).toBe(200);
    expect(byId("ratelimit.burst").evidence.data).toMatchObject({ sent: 50, limited: 0, statuses: ["200: 50"] });
  });

  it("shows how Sapper refused the hostile requests", () => {
    const origin = byId("browser.origin").evidence.exchanges[0]!;
    expect(origin.request.headers.origin).toBe("https://sapper-audit.invalid");
    expect(origin.response!.status).toBe(403);
    expect(byId("browser.dns-rebinding").evidence.exchanges[0]!.response!.status).toBe(403);
    expect(byId("session.unknown-id").evidence.exchanges[0]!.response!.status).toBe(404);
    // Sapper answers 413 and drops the connection; depending on timing the client sees the 413 or the reset.
    expect(byId("robustness.oversized-body").summary).toMatch(/^a 8\.0 MiB body was refused(?: with 413|: the server closed the connection while the request was being sent|: connection reset by the server)$/);
    expect(byId("concurrency.sessions").evidence.data).toMatchObject({ sessions: 20, failedSessions: 0, requests: 60 });
    expect(audited.report.facts).toMatchObject({ transport: "streamable-http", sessionful: true });
  });
});
