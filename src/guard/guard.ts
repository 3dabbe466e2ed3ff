// The supply-chain guard the gateway consults whenever an upstream's definitions are (re)loaded:
// poisoning scan, pin comparison against the lock file, and package provenance, turned into a
// verdict by the configured policy. Everything it decides is logged and counted.
import { createHash } from "node:crypto";
import { dirname, isAbsolute, resolve } from "node:path";
import type { SapperConfig, UpstreamSpec } from "../config/schema.js";
import type { Logger } from "../telemetry/logger.js";
import type { Metrics } from "../telemetry/metrics.js";
import { definitionLabel, type DefinitionKind, type DefinitionRef } from "./definition-text.js";
import { comparePins, pinsFor, readLockFile, type LockFile, type PinChange, type UpstreamPins } from "./lock-file.js";
import { checkCommandLine, checkNpmMetadata, loadOfficialPackages, npmViewLookup, parseLaunch, type MetadataLookup, type ProvenanceFinding } from "./provenance.js";
import { loadRuleSet } from "./rule-set.js";
import { createScanner, type Finding, type Scanner } from "./scanner.js";
import { compareSeverity, severityAtLeast, type Severity } from "./severity.js";
import type { GuardVerdict, ToolGuard, UpstreamDefinitions } from "./tool-guard.js";

export interface GuardDeps {
  logger: Logger;
  metrics: Pick<Metrics, "guardFindings" | "guardBlocked">;
  /** Absolute path of the pin lock file (see resolveLockFilePath); pinning is off while it does not exist. */
  lockFilePath?: string;
  /** Directory a relative guard.rulesFile is resolved against (the config file's directory). */
  configDir?: string;
  /** Registry metadata source for provenance checks (default: `npm view`). */
  metadataLookup?: MetadataLookup;
}

/** The contract's verdict, extended with why everything was decided. */
export interface SupplyChainVerdict extends GuardVerdict {
  findings: Finding[];
  pinChanges: PinChange[];
}

export interface SupplyChainGuard extends ToolGuard {
  review(upstream: string, definitions: UpstreamDefinitions): Promise<SupplyChainVerdict>;
  /**
   * Registry checks (npm metadata) for upstreams launched with npx & co., when guard.provenance is
   * "registry": logged and counted, never blocking (the registry's answer changes over time and
   * replicas must decide alike). Command-line checks already ran when the guard was created.
   */
  checkRegistry(): Promise<Map<string, ProvenanceFinding[]>>;
  /** Provenance findings from the command line, per upstream. */
  readonly provenance: ReadonlyMap<string, ProvenanceFinding[]>;
}

/** The lock file path a config means: guard.lockFile relative to the config file's directory. */
export function resolveLockFilePath(config: SapperConfig, configPath?: string): string {
  const file = config.guard.lockFile;
  if (isAbsolute(file)) return file;
  return resolve(configPath ? dirname(resolve(configPath)) : process.cwd(), file);
}

interface Settings {
  policy: "warn" | "block";
  warnAt: Severity;
  blockAt: Severity;
  onChange: "warn" | "block";
  onNew: "warn" | "block";
  provenance: "off" | "offline" | "registry";
  ignoreRules: Set<string>;
}

function settingsFor(config: SapperConfig, spec: UpstreamSpec | undefined): Settings {
  const g = config.guard;
  const o = spec?.guard;
  return {
    policy: o?.policy ?? g.policy,
    warnAt: o?.warnAt ?? g.warnAt,
    blockAt: o?.blockAt ?? g.blockAt,
    onChange: o?.onChange ?? g.onChange,
    onNew: o?.onNew ?? g.onNew,
    provenance: o?.provenance ?? g.provenance,
    ignoreRules: new Set([...g.ignoreRules, ...(o?.ignoreRules ?? [])]),
  };
}

const SECTION_OF: Record<Exclude<DefinitionKind, "instructions">, "blockedTools" | "blockedPrompts" | "blockedResourceTemplates"> = {
  tool: "blockedTools",
  prompt: "blockedPrompts",
  "resource-template": "blockedResourceTemplates",
};

function approveRef(upstream: string, ref: DefinitionRef): string {
  switch (ref.kind) {
    case "tool":
      return `${upstream}/${ref.name}`;
    case "prompt":
      return `${upstream}/prompt:${ref.name}`;
    case "resource-template":
      return `${upstream}/template:${ref.name}`;
    case "instructions":
      return `${upstream}/server:instructions`;
  }
}

const short = (hash: string | undefined) => (hash ? `${hash.slice(0, 19)}…` : "none");

export function createGuard(config: SapperConfig, deps: GuardDeps): SupplyChainGuard {
  const { logger, metrics } = deps;
  const rulesPath = config.guard.rulesFile ? resolve(deps.configDir ?? process.cwd(), config.guard.rulesFile) : undefined;
  const scanner: Scanner = createScanner({ rules: loadRuleSet(rulesPath), ignoreRules: config.guard.ignoreRules });
  const lock: LockFile | undefined = deps.lockFilePath ? readLockFile(deps.lockFilePath) : undefined;
  if (config.guard.enabled) {
    if (lock) logger.info({ lockFile: deps.lockFilePath, upstreams: Object.keys(lock.upstreams) }, "guard: pins loaded");
    else logger.info({ lockFile: deps.lockFilePath }, "guard: no lock file, pinning is off (create one with `sapper pin`)");
  }
  // Each finding and pin change is logged and counted once per process, not on every reload.
  const announced = new Set<string>();
  const once = (key: string) => (announced.has(key) ? false : (announced.add(key), true));

  const official = loadOfficialPackages();
  const provenance = new Map<string, ProvenanceFinding[]>();
  for (const [name, spec] of Object.entries(config.upstreams)) {
    const s = settingsFor(config, spec);
    if (!config.guard.enabled || s.provenance === "off" || spec.transport !== "stdio") continue;
    const ref = parseLaunch(spec.command, spec.args);
    if (!ref) continue;
    const found = checkCommandLine(ref, official);
    provenance.set(name, found);
    for (const f of found) reportProvenance(name, f, s);
  }

  function reportProvenance(upstream: string, f: ProvenanceFinding, s: Settings): void {
    const fields = { upstream, rule: f.rule, severity: f.severity, package: f.package };
    if (severityAtLeast(f.severity, s.warnAt)) {
      logger.warn(fields, `guard: provenance ${f.rule}: ${f.message}`);
      metrics.guardFindings.inc({ upstream, rule: f.rule, severity: f.severity });
    } else logger.info(fields, `guard: provenance ${f.rule}: ${f.message}`);
  }

  /**
   * Per upstream, a digest of the definitions last scanned and what the scan found: a reload that
   * changed nothing the scan reads (a resources list, a reconnect to the same server) is not scanned again.
   */
  const lastScan = new Map<string, { digest: string; findings: Finding[] }>();
  async function scan(upstream: string, definitions: UpstreamDefinitions): Promise<Finding[]> {
    const digest = createHash("sha256").update(JSON.stringify(definitions)).digest("base64url");
    const last = lastScan.get(upstream);
    if (last?.digest === digest) {
      logger.debug({ upstream }, "guard: definitions unchanged since the last scan; its findings stand");
      return last.findings;
    }
    const findings = await scanner.scanYielding(definitions);
    lastScan.set(upstream, { digest, findings });
    return findings;
  }

  async function review(upstream: string, definitions: UpstreamDefinitions): Promise<SupplyChainVerdict> {
    const verdict: SupplyChainVerdict = {
      blockedTools: new Map(),
      blockedPrompts: new Map(),
      blockedResourceTemplates: new Map(),
      instructionsBlocked: undefined,
      findings: [],
      pinChanges: [],
    };
    if (!config.guard.enabled) return verdict;
    const s = settingsFor(config, config.upstreams[upstream]);
    const block = (ref: DefinitionRef, reason: string, kind: string) => {
      const already = ref.kind === "instructions" ? verdict.instructionsBlocked !== undefined : verdict[SECTION_OF[ref.kind]].has(ref.name);
      if (already) return;
      if (ref.kind === "instructions") verdict.instructionsBlocked = reason;
      else verdict[SECTION_OF[ref.kind]].set(ref.name, reason);
      metrics.guardBlocked.inc({ upstream, reason: kind });
      logger.warn({ upstream, tool: definitionLabel(ref), kind: ref.kind, reason }, "guard: definition blocked");
    };

    // 1. Poisoning scan.
    verdict.findings = (await scan(upstream, definitions)).filter((f) => !s.ignoreRules.has(f.rule));
    const worst = new Map<string, Finding>();
    for (const f of verdict.findings) {
      const fields = { upstream, tool: f.tool, rule: f.rule, family: f.family, severity: f.severity, path: f.path };
      if (severityAtLeast(f.severity, s.warnAt)) {
        if (once(`finding\u0000${upstream}\u0000${f.tool}\u0000${f.rule}\u0000${f.path}\u0000${f.excerpt}`)) {
          logger.warn(fields, `guard: ${f.rule} ${f.message}`);
          metrics.guardFindings.inc({ upstream, rule: f.rule, severity: f.severity });
        }
      } else logger.debug(fields, `guard: ${f.rule} ${f.message}`);
      const key = `${f.definition.kind}\u0000${f.definition.name}`;
      const prev = worst.get(key);
      if (!prev || compareSeverity(f.severity, prev.severity) > 0) worst.set(key, f);
    }
    if (s.policy === "block") {
      for (const f of worst.values()) {
        if (severityAtLeast(f.severity, s.blockAt)) {
          block(f.definition, `poisoning rule ${f.rule} (${f.severity}) at ${f.path}: ${f.message}`, "poisoned");
        }
      }
    }

    // 2. Pins.
    if (lock) {
      const locked: UpstreamPins = lock.upstreams[upstream] ?? { tools: {}, prompts: {}, resourceTemplates: {} };
      if (!lock.upstreams[upstream] && once(`unpinned\u0000${upstream}`)) {
        logger.warn({ upstream, lockFile: deps.lockFilePath }, "guard: upstream has no pins in the lock file; run `sapper pin`");
      }
      verdict.pinChanges = comparePins(locked, pinsFor(definitions));
      for (const c of verdict.pinChanges) {
        const ref: DefinitionRef = { kind: c.kind, name: c.name };
        const approve = `sapper pin --approve ${approveRef(upstream, ref)}`;
        const fields = { upstream, tool: definitionLabel(ref), kind: c.kind, change: c.change, locked: c.lockedHash, current: c.currentHash };
        if (c.change === "removed") {
          if (once(`pin\u0000${upstream}\u0000${c.kind}\u0000${c.name}\u0000removed`)) logger.info(fields, "guard: a pinned definition is gone");
          continue;
        }
        if (once(`pin\u0000${upstream}\u0000${c.kind}\u0000${c.name}\u0000${c.change}\u0000${c.currentHash}`)) {
          logger.warn(fields, c.change === "changed" ? `guard: definition changed since it was pinned; review it with \`${approve}\`` : `guard: definition is not pinned; pin it with \`${approve}\``);
        }
        if (c.change === "changed" && s.onChange === "block") {
          block(ref, `definition changed since it was pinned (${short(c.lockedHash)} -> ${short(c.currentHash)}); review and approve it with \`${approve}\``, "changed");
        } else if (c.change === "new" && s.onNew === "block") {
          block(ref, `definition is not in the lock file; review and pin it with \`${approve}\``, "new");
        }
      }
    }

    // 3. Provenance (command line): under block, a launch that fails badly blocks the whole upstream.
    if (s.policy === "block") {
      const bad = (provenance.get(upstream) ?? []).find((f) => severityAtLeast(f.severity, s.blockAt));
      if (bad) for (const t of definitions.tools) block({ kind: "tool", name: t.name }, `package provenance ${bad.rule} (${bad.severity}): ${bad.message}`, "provenance");
    }
    return verdict;
  }

  async function checkRegistry(): Promise<Map<string, ProvenanceFinding[]>> {
    const out = new Map<string, ProvenanceFinding[]>();
    const lookup = deps.metadataLookup ?? npmViewLookup();
    await Promise.all(
      Object.entries(config.upstreams).map(async ([name, spec]) => {
        const s = settingsFor(config, spec);
        if (!config.guard.enabled || s.provenance !== "registry" || spec.transport !== "stdio") return;
        const ref = parseLaunch(spec.command, spec.args);
        if (!ref || ref.ecosystem !== "npm" || ref.unregistered) return;
        const meta = await lookup(ref.name);
        if (meta === undefined) {
          logger.info({ upstream: name, package: ref.name }, "guard: npm registry unreachable, registry provenance checks skipped");
          return;
        }
        const found = checkNpmMetadata(ref, meta);
        out.set(name, found);
        for (const f of found) reportProvenance(name, f, s);
      }),
    );
    return out;
  }

  return { review, checkRegistry, provenance };
}
