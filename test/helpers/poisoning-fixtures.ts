// Reading the evaluation fixtures (test/fixtures/poisoning/): how a case of a poisoned fixture file becomes what an
// upstream exposes, and every definition of every set. (scripts/train-text-model.mjs reads cases the same way.)
import { readdirSync, readFileSync } from "node:fs";
import type { TextUnit } from "../../src/guard/definition-text.js";
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

/** A poisoned case as one upstream: one tool, prompt or resource template; or a server case, its instructions and its tools together. */
export function caseDefinitions(c: PoisonedCase): UpstreamDefinitions {
  return {
    ...(c.server ? { instructions: c.server.instructions } : {}),
    tools: c.tool ? [c.tool as never] : ((c.server?.tools ?? []) as never[]),
    prompts: c.prompt ? [c.prompt as never] : [],
    resourceTemplates: c.resourceTemplate ? [c.resourceTemplate as never] : [],
  };
}

const root = new URL("../fixtures/poisoning/", import.meta.url);

/** Every set's definitions, poisoned and benign: the labelled set and every holdout (each benign file as one upstream, each case as its own). */
export function everyFixtureDefinition(): UpstreamDefinitions[] {
  const out: UpstreamDefinitions[] = [];
  for (const file of readdirSync(root, { recursive: true, encoding: "utf8" }).sort()) {
    if (!file.endsWith(".json")) continue;
    const d = JSON.parse(readFileSync(new URL(file, root), "utf8")) as UpstreamDefinitions & { cases?: PoisonedCase[] };
    if (d.cases) out.push(...d.cases.map(caseDefinitions));
    else out.push({ ...d, tools: d.tools ?? [], prompts: d.prompts ?? [], resourceTemplates: d.resourceTemplates ?? [] });
  }
  return out;
}

/** A unit's text as its role's rules read it: identifiers with `_` and `-` read as spaces. */
export function asRulesRead(unit: TextUnit): string {
  return unit.role === "prose" ? unit.text : unit.text.replace(/[_-]/g, " ");
}
