// The rule file (rules/poisoning-rules.v1.json) is data: this module validates it and compiles it
// once into matchers, so scanning does no parsing or regex compilation.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { SapperError } from "../errors.js";
import type { TextRole } from "./definition-text.js";
import { SEVERITIES, type Severity } from "./severity.js";
import { DETECTOR_NEEDS, DETECTORS, type Detector, type DetectorKind, type DetectorParams } from "./text-detectors.js";

export const FAMILIES = [
  "hidden-instructions",
  "sensitive-target",
  "exfiltration",
  "shadowing",
  "invisible-characters",
  "encoded-payload",
  "oversized",
] as const;
export type Family = (typeof FAMILIES)[number];

export const DEFAULT_RULES_PATH = fileURLToPath(new URL("../../rules/poisoning-rules.v1.json", import.meta.url));

// A gate is a cheap necessary condition: alternatives, each a list of groups, each group a list of
// lower-case words (or "=substring"). A rule runs on a definition only when one alternative has a
// word from every group; the regex itself then decides.
const gateSchema = z.array(z.array(z.array(z.string().min(1)).min(1)).min(1)).min(1);

const ruleBase = {
  id: z.string().regex(/^[A-Z]{2}-\d{3}$/, "rule ids look like HI-001"),
  family: z.enum(FAMILIES),
  severity: z.enum(SEVERITIES),
  message: z.string().min(1),
  targets: z.array(z.enum(["name", "key", "prose"])).min(1).default(["prose"]),
  argumentsOnly: z.boolean().default(false),
  requires: gateSchema.optional(),
};

const regexRuleSchema = z
  .object({
    ...ruleBase,
    kind: z.literal("regex"),
    pattern: z.string().min(1),
    flags: z.string().regex(/^[imsu]*$/, "flags may be i, m, s and u").default("i"),
    condition: z.enum(["foreign-tool"]).optional(),
    /** Only text units whose path matches this pattern (case-insensitive), e.g. a recipient field's default. */
    path: z.string().min(1).optional(),
  })
  .strict();

const detectorRuleSchema = z
  .object({
    ...ruleBase,
    kind: z.enum(Object.keys(DETECTORS) as [DetectorKind, ...DetectorKind[]]),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
  })
  .strict();

export const ruleFileSchema = z
  .object({
    $comment: z.string().optional(),
    name: z.string().min(1),
    version: z.string().min(1),
    families: z.record(z.enum(FAMILIES), z.string()),
    foreignToolWords: z.object({ always: z.array(z.string()), never: z.array(z.string()) }).strict(),
    macros: z.record(z.string().regex(/^[A-Z0-9_]+$/), z.string()).default({}),
    confusables: z.record(z.string(), z.string()),
    rules: z.array(z.union([regexRuleSchema, detectorRuleSchema])).min(1),
  })
  .strict();

export type RuleFile = z.infer<typeof ruleFileSchema>;

interface CompiledRuleBase {
  id: string;
  family: Family;
  severity: Severity;
  message: string;
  roles: ReadonlySet<TextRole>;
  argumentsOnly: boolean;
  /** Cheap necessary condition on a definition's words; undefined = always run. */
  gate: Gate | undefined;
}

const NON_WORD = /[^a-z0-9]+/;

/** Which gate groups a definition satisfies (index = group id). */
export type GateState = Uint8Array;

export type Gate = (state: GateState) => boolean;

/** All gate groups of a rule set, indexed by word, so a definition's words are looked up once. */
export class GateIndex {
  private readonly byWord = new Map<string, number[]>();
  private readonly bySubstring: Array<[string, number]> = [];
  private size = 0;

  /** Registers a rule's gate; returns it as a test over a GateState. */
  add(alternatives: string[][][]): Gate {
    const compiled = alternatives.map((groups) =>
      groups.map((group) => {
        const id = this.size++;
        for (const item of group) {
          if (item.startsWith("=")) this.bySubstring.push([item.slice(1).toLowerCase(), id]);
          else {
            const w = item.toLowerCase();
            const ids = this.byWord.get(w);
            if (ids) ids.push(id);
            else this.byWord.set(w, [id]);
          }
        }
        return id;
      }),
    );
    return (state) => compiled.some((ids) => ids.every((id) => state[id] === 1));
  }

  /** Looks up each word of the lower-cased text once; substrings only for groups still unsatisfied. */
  evaluate(lower: string): GateState {
    const state = new Uint8Array(this.size);
    for (const w of lower.split(NON_WORD)) {
      const ids = this.byWord.get(w);
      if (ids) for (const id of ids) state[id] = 1;
    }
    for (const [sub, id] of this.bySubstring) if (state[id] === 0 && lower.includes(sub)) state[id] = 1;
    return state;
  }
}

export interface CompiledRegexRule extends CompiledRuleBase {
  kind: "regex";
  regex: RegExp;
  foreignToolOnly: boolean;
  /** Only units whose path matches; undefined = every unit of the rule's roles. */
  path: RegExp | undefined;
}

export interface CompiledDetectorRule extends CompiledRuleBase {
  kind: DetectorKind;
  detect: Detector;
  params: DetectorParams;
  /** Character classes (CharClass) the text must contain for the detector to find anything; 0 = any text. */
  needs: number;
}

export type CompiledRule = CompiledRegexRule | CompiledDetectorRule;

export interface RuleSet {
  name: string;
  version: string;
  rules: readonly CompiledRule[];
  confusables: ReadonlyMap<string, string>;
  foreignAlways: ReadonlySet<string>;
  foreignNever: ReadonlySet<string>;
  gates: GateIndex;
}

function expandMacros(pattern: string, macros: Record<string, string>, ruleId: string): string {
  let out = pattern;
  // Macros may use macros; a bounded number of passes catches cycles.
  for (let pass = 0; pass < 8 && out.includes("{{"); pass++) {
    out = out.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_, name: string) => {
      const body = macros[name];
      if (body === undefined) throw new SapperError("SAPPER_RULES_INVALID", `rule ${ruleId} uses the unknown macro {{${name}}}`);
      return body;
    });
  }
  if (/\{\{[A-Z0-9_]+\}\}/.test(out)) throw new SapperError("SAPPER_RULES_INVALID", `rule ${ruleId}: macros nest too deeply (a cycle?)`);
  return out;
}

export function compileRuleSet(file: RuleFile): RuleSet {
  const seen = new Set<string>();
  const gates = new GateIndex();
  const rules = file.rules.map((r): CompiledRule => {
    if (seen.has(r.id)) throw new SapperError("SAPPER_RULES_INVALID", `rule id ${r.id} is used twice`);
    seen.add(r.id);
    const base = {
      id: r.id,
      family: r.family,
      severity: r.severity,
      message: r.message,
      roles: new Set(r.targets),
      argumentsOnly: r.argumentsOnly,
      gate: r.requires ? gates.add(r.requires) : undefined,
    };
    if (r.kind === "regex") {
      let regex: RegExp;
      let path: RegExp | undefined;
      try {
        regex = new RegExp(expandMacros(r.pattern, file.macros, r.id), `${r.flags.replace(/[gyd]/g, "")}g`);
        path = r.path === undefined ? undefined : new RegExp(r.path, "i");
      } catch (err) {
        if (err instanceof SapperError) throw err;
        throw new SapperError("SAPPER_RULES_INVALID", `rule ${r.id} has an invalid pattern: ${(err as Error).message}`);
      }
      return { ...base, kind: "regex", regex, foreignToolOnly: r.condition === "foreign-tool", path };
    }
    return { ...base, kind: r.kind, detect: DETECTORS[r.kind], params: r.params, needs: DETECTOR_NEEDS[r.kind] };
  });
  return {
    name: file.name,
    version: file.version,
    rules,
    confusables: new Map(Object.entries(file.confusables)),
    foreignAlways: new Set(file.foreignToolWords.always),
    foreignNever: new Set(file.foreignToolWords.never),
    gates,
  };
}

/** Reads, validates and compiles a rule file (default: the bundled rules/poisoning-rules.v1.json). */
export function loadRuleSet(path: string = DEFAULT_RULES_PATH): RuleSet {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new SapperError("SAPPER_RULES_INVALID", `cannot read the rule file ${path}: ${(err as Error).message}`);
  }
  const parsed = ruleFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new SapperError("SAPPER_RULES_INVALID", `${path}: ${issues}`);
  }
  return compileRuleSet(parsed.data);
}
