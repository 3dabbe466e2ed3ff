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

/** A fixture file: its set ("labelled" or "holdout-vN"), its part (the folder: benign, poisoned, unseen …), its name and its parsed content. */
export interface FixtureFile {
  set: string;
  part: string;
  file: string;
  data: UpstreamDefinitions & { cases?: PoisonedCase[]; official?: boolean };
}

export function fixtureFiles(): FixtureFile[];
export function serverDefinitions(d: Partial<UpstreamDefinitions>): UpstreamDefinitions;
export function caseDefinitions(c: PoisonedCase): UpstreamDefinitions;
export function everyFixtureDefinition(): UpstreamDefinitions[];
export function asRulesRead(unit: TextUnit): string;
