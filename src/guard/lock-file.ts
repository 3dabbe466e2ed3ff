// Pins: the SHA-256 of each definition's canonical JSON (RFC 8785), per upstream, kept in a lock
// file meant to be committed. A changed hash is a changed definition (rug pull until approved).
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { SapperError } from "../errors.js";
import { canonicalHash } from "./canonical-json.js";
import type { DefinitionKind } from "./definition-text.js";
import type { UpstreamDefinitions } from "./tool-guard.js";

export const LOCKFILE_VERSION = 1;

const pinSchema = z.object({ sha256: z.string().regex(/^sha256:[0-9a-f]{64}$/), definition: z.unknown() }).strict();
const upstreamPinsSchema = z
  .object({
    instructions: pinSchema.optional(),
    tools: z.record(z.string(), pinSchema).default({}),
    prompts: z.record(z.string(), pinSchema).default({}),
    resourceTemplates: z.record(z.string(), pinSchema).default({}),
  })
  .strict();
const lockFileSchema = z
  .object({
    lockfileVersion: z.literal(LOCKFILE_VERSION),
    comment: z.string().optional(),
    upstreams: z.record(z.string(), upstreamPinsSchema),
  })
  .strict();

export type ToolPin = z.infer<typeof pinSchema>;
export type UpstreamPins = z.infer<typeof upstreamPinsSchema>;
export type LockFile = z.infer<typeof lockFileSchema>;

/** The lock file's sections, in the order definitions are reported. */
export const PIN_SECTIONS = ["tools", "prompts", "resourceTemplates"] as const;
export type PinSection = (typeof PIN_SECTIONS)[number];

export const SECTION_KIND: Record<PinSection, DefinitionKind> = { tools: "tool", prompts: "prompt", resourceTemplates: "resource-template" };

// The pinned content of each kind: everything the model or client reads about it. Transport-level
// extras (`_meta`, icons) are left out so that pins mean the same thing whichever client fetched them.
const PINNED_FIELDS: Record<PinSection, readonly string[]> = {
  tools: ["name", "title", "description", "inputSchema", "outputSchema", "annotations"],
  prompts: ["name", "title", "description", "arguments"],
  resourceTemplates: ["name", "title", "description", "uriTemplate", "mimeType", "annotations"],
};

/** The part of a definition a pin covers. */
export function pinnedContent(section: PinSection, definition: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const d = (definition ?? {}) as Record<string, unknown>;
  for (const k of PINNED_FIELDS[section]) if (d[k] !== undefined) out[k] = d[k];
  return out;
}

export function pinOf(section: PinSection, definition: unknown): ToolPin {
  const content = pinnedContent(section, definition);
  return { sha256: canonicalHash(content), definition: content };
}

export function instructionsPin(instructions: string): ToolPin {
  return { sha256: canonicalHash({ instructions }), definition: instructions };
}

/** Pins for everything an upstream exposes right now. */
export function pinsFor(defs: UpstreamDefinitions): UpstreamPins {
  const pins: UpstreamPins = { tools: {}, prompts: {}, resourceTemplates: {} };
  if (defs.instructions) pins.instructions = instructionsPin(defs.instructions);
  for (const t of defs.tools) pins.tools[t.name] = pinOf("tools", t);
  for (const p of defs.prompts) pins.prompts[p.name] = pinOf("prompts", p);
  for (const r of defs.resourceTemplates) pins.resourceTemplates[r.name] = pinOf("resourceTemplates", r);
  return pins;
}

export type PinChangeKind = "new" | "removed" | "changed";

export interface PinChange {
  kind: DefinitionKind;
  name: string;
  change: PinChangeKind;
  lockedHash?: string;
  currentHash?: string;
}

/** What differs between the lock file's pins for an upstream and what it exposes now. */
export function comparePins(locked: UpstreamPins, current: UpstreamPins): PinChange[] {
  const changes: PinChange[] = [];
  const lockedInstr = locked.instructions?.sha256;
  const currentInstr = current.instructions?.sha256;
  if (lockedInstr !== currentInstr) {
    changes.push({
      kind: "instructions",
      name: "instructions",
      change: lockedInstr === undefined ? "new" : currentInstr === undefined ? "removed" : "changed",
      ...(lockedInstr ? { lockedHash: lockedInstr } : {}),
      ...(currentInstr ? { currentHash: currentInstr } : {}),
    });
  }
  for (const section of PIN_SECTIONS) {
    const before = locked[section];
    const now = current[section];
    for (const [name, pin] of Object.entries(now)) {
      const old = before[name];
      if (!old) changes.push({ kind: SECTION_KIND[section], name, change: "new", currentHash: pin.sha256 });
      else if (old.sha256 !== pin.sha256) changes.push({ kind: SECTION_KIND[section], name, change: "changed", lockedHash: old.sha256, currentHash: pin.sha256 });
    }
    for (const [name, pin] of Object.entries(before)) {
      if (!now[name]) changes.push({ kind: SECTION_KIND[section], name, change: "removed", lockedHash: pin.sha256 });
    }
  }
  return changes;
}

/** Reads a lock file; undefined when it does not exist (pinning is then off). */
export function readLockFile(path: string): LockFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SapperError("SAPPER_LOCKFILE_INVALID", `cannot read ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SapperError("SAPPER_LOCKFILE_INVALID", `${path} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = lockFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new SapperError("SAPPER_LOCKFILE_INVALID", `${path}: ${issues} (regenerate it with \`sapper pin\`)`);
  }
  // Hashes are recomputed, not trusted: a hand-edited definition with a stale hash is an error.
  for (const [upstream, pins] of Object.entries(parsed.data.upstreams)) {
    if (pins.instructions && typeof pins.instructions.definition === "string" && instructionsPin(pins.instructions.definition).sha256 !== pins.instructions.sha256) {
      throw new SapperError("SAPPER_LOCKFILE_INVALID", `${path}: the hash of ${upstream}'s instructions does not match the recorded text`);
    }
    for (const section of PIN_SECTIONS) {
      for (const [name, pin] of Object.entries(pins[section])) {
        if (pinOf(section, pin.definition).sha256 !== pin.sha256) {
          throw new SapperError("SAPPER_LOCKFILE_INVALID", `${path}: the hash of ${upstream}/${name} does not match the recorded definition`);
        }
      }
    }
  }
  return parsed.data;
}

export function emptyLockFile(): LockFile {
  return {
    lockfileVersion: LOCKFILE_VERSION,
    comment: "Written by `sapper pin`. Commit it; approve changed definitions with `sapper pin --approve upstream/name`.",
    upstreams: {},
  };
}

/** Writes the lock file with sorted keys (stable diffs in review), atomically. */
export function writeLockFile(path: string, lock: LockFile): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(sortKeys(lock), null, 2)}\n`);
  renameSync(tmp, path);
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value as Record<string, unknown>).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}
