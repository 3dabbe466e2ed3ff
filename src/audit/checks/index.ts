// Every remote check, in the order they run: cheap and read-only first, load (concurrency, burst) last
// so a rate limiter tripped by the burst cannot spoil the others.
import type { AuditCheck } from "../audit-check.js";
import { authChecks } from "./auth.js";
import { browserChecks } from "./browser.js";
import { concurrencyChecks } from "./concurrency.js";
import { contextChecks } from "./context.js";
import { rateLimitChecks } from "./rate-limit.js";
import { robustnessChecks } from "./robustness.js";
import { sessionChecks } from "./sessions.js";
import { supplyChainChecks } from "./supply-chain.js";
import { transportChecks } from "./transport.js";

export const AUDIT_CHECKS: readonly AuditCheck[] = [
  ...transportChecks,
  ...authChecks,
  ...browserChecks,
  ...sessionChecks,
  ...robustnessChecks,
  ...contextChecks,
  ...supplyChainChecks,
  ...concurrencyChecks,
  ...rateLimitChecks,
];
