// How a case of a poisoned fixture file (test/fixtures/poisoning/**/poisoned/*.json) becomes what an
// upstream exposes: one tool, prompt or resource template; or a server case, its instructions and
// its tools scanned together as one upstream. (scripts/train-text-model.mjs reads them the same way.)
import type { Family } from "../../src/guard/rule-set.js";
import type { UpstreamDefinitions } from "../../src/guard/tool-guard.js";

export interface PoisonedCase {
  id: string;
  families: Family[];
  tool?: Record<string, unknown>;
  prompt?: Record<string, unknown>;
  resourceTemplate?: Record<string, unknown>;
  server?: { instructions: string; tools?: Array<Record<string, unknown>> };
}

export function caseDefinitions(c: PoisonedCase): UpstreamDefinitions {
  return {
    ...(c.server ? { instructions: c.server.instructions } : {}),
    tools: c.tool ? [c.tool as never] : ((c.server?.tools ?? []) as never[]),
    prompts: c.prompt ? [c.prompt as never] : [],
    resourceTemplates: c.resourceTemplate ? [c.resourceTemplate as never] : [],
  };
}
