// `sapper pin`: records the hash of every upstream definition in the lock file, checks it in CI
// (--check), and approves a changed definition after showing its diff (--approve upstream/tool).
import type { Command } from "commander";
import { loadConfig } from "../config/load-config.js";
import type { SapperConfig } from "../config/schema.js";
import { ExitCodes, isSapperError, SapperError } from "../errors.js";
import { diffDefinitions } from "../guard/definition-diff.js";
import { fetchUpstreamDefinitions } from "../guard/fetch-definitions.js";
import { resolveLockFilePath } from "../guard/guard.js";
import {
  comparePins,
  emptyLockFile,
  PIN_SECTIONS,
  pinsFor,
  readLockFile,
  SECTION_KIND,
  writeLockFile,
  type LockFile,
  type PinChange,
  type PinSection,
  type UpstreamPins,
} from "../guard/lock-file.js";

interface PinFlags {
  config: string;
  approve?: string[];
  check?: boolean;
  lockFile?: string;
}

/** `upstream/tool`, `upstream/prompt:NAME`, `upstream/template:NAME`, `upstream/server:instructions`, `upstream/*`. */
export interface ApproveRef {
  upstream: string;
  section: PinSection | "instructions" | "*";
  name: string;
}

export function parseApproveRef(ref: string): ApproveRef {
  const slash = ref.indexOf("/");
  if (slash <= 0 || slash === ref.length - 1) {
    throw new SapperError("SAPPER_CLI_USAGE", `--approve takes upstream/tool (or upstream/prompt:NAME, upstream/template:NAME, upstream/server:instructions, upstream/*), got "${ref}"`);
  }
  const upstream = ref.slice(0, slash);
  const rest = ref.slice(slash + 1);
  if (rest === "*") return { upstream, section: "*", name: "*" };
  if (rest === "server:instructions") return { upstream, section: "instructions", name: "instructions" };
  if (rest.startsWith("prompt:")) return { upstream, section: "prompts", name: rest.slice(7) };
  if (rest.startsWith("template:")) return { upstream, section: "resourceTemplates", name: rest.slice(9) };
  return { upstream, section: "tools", name: rest };
}

const label = (c: PinChange) => (c.kind === "tool" ? c.name : c.kind === "instructions" ? "server:instructions" : `${c.kind === "prompt" ? "prompt" : "template"}:${c.name}`);

function describe(upstream: string, c: PinChange): string {
  const verb = c.change === "changed" ? "changed" : c.change === "new" ? "new    " : "removed";
  return `  ${verb} ${upstream}/${label(c)}`;
}

async function currentPins(config: SapperConfig, upstream: string): Promise<UpstreamPins> {
  const spec = config.upstreams[upstream];
  if (!spec) throw new SapperError("SAPPER_PIN_UNKNOWN", `the config has no upstream "${upstream}" (it has: ${Object.keys(config.upstreams).join(", ")})`);
  return pinsFor(await fetchUpstreamDefinitions(upstream, spec));
}

function applyApproval(lock: LockFile, ref: ApproveRef, now: UpstreamPins, out: NodeJS.WritableStream): number {
  const locked: UpstreamPins = lock.upstreams[ref.upstream] ?? { tools: {}, prompts: {}, resourceTemplates: {} };
  const changes = comparePins(locked, now).filter((c) => {
    if (ref.section === "*") return true;
    if (ref.section === "instructions") return c.kind === "instructions";
    return c.kind === SECTION_KIND[ref.section] && c.name === ref.name;
  });
  if (changes.length === 0) {
    const exists =
      ref.section === "*" ||
      (ref.section === "instructions" ? now.instructions !== undefined : now[ref.section][ref.name] !== undefined);
    if (!exists) throw new SapperError("SAPPER_PIN_UNKNOWN", `upstream "${ref.upstream}" exposes no ${ref.section === "instructions" ? "instructions" : `${ref.section === "tools" ? "tool" : ref.section === "prompts" ? "prompt" : "resource template"} "${ref.name}"`}`);
    out.write(`${ref.upstream}/${ref.name === "*" ? "*" : ref.name}: already pinned, nothing to approve\n`);
    return 0;
  }
  for (const c of changes) {
    const section = c.kind === "instructions" ? undefined : PIN_SECTIONS.find((s) => SECTION_KIND[s] === c.kind)!;
    const before = section ? locked[section][c.name]?.definition : locked.instructions?.definition;
    const after = section ? now[section][c.name]?.definition : now.instructions?.definition;
    out.write(`${describe(ref.upstream, c).trim()} (${c.lockedHash ?? "unpinned"} -> ${c.currentHash ?? "gone"})\n${diffDefinitions(before, after)}\n\n`);
    if (section) {
      if (c.change === "removed") delete locked[section][c.name];
      else locked[section][c.name] = now[section][c.name]!;
    } else if (c.change === "removed") delete locked.instructions;
    else locked.instructions = now.instructions!;
  }
  lock.upstreams[ref.upstream] = locked;
  return changes.length;
}

export function registerPin(program: Command): void {
  program
    .command("pin")
    .description("pin every upstream definition by hash in the lock file; --approve a changed one after reviewing its diff")
    .requiredOption("-c, --config <file>", "configuration file (YAML or JSON)")
    .option("--approve <ref...>", "approve the current version: upstream/tool, upstream/prompt:NAME, upstream/template:NAME, upstream/server:instructions or upstream/*")
    .option("--check", "change nothing; exit 1 when any definition is new, removed or changed (for CI)")
    .option("--lock-file <file>", "lock file (default: guard.lockFile of the config, relative to it)")
    .addHelpText("after", "\nExamples:\n  sapper pin --config sapper.yaml\n  sapper pin --config sapper.yaml --check\n  sapper pin --config sapper.yaml --approve github/create_issue\n")
    .action(async (flags: PinFlags) => {
      try {
        process.exitCode = await runPin(flags);
      } catch (err) {
        if (!isSapperError(err)) throw err;
        process.stderr.write(`sapper: ${err.message}\n`);
        process.exitCode =
          err.code === "SAPPER_UPSTREAM_START_FAILED" ? ExitCodes.startup : err.code === "SAPPER_PIN_DRIFT" ? ExitCodes.findings : ExitCodes.config;
      }
    });
}

async function runPin(flags: PinFlags): Promise<number> {
  if (flags.check && flags.approve) throw new SapperError("SAPPER_CLI_USAGE", "--check and --approve do not go together");
  const config = loadConfig(flags.config);
  const lockPath = flags.lockFile ?? resolveLockFilePath(config, flags.config);
  const existing = readLockFile(lockPath);
  const out = process.stdout;

  if (flags.approve) {
    if (!existing) throw new SapperError("SAPPER_PIN_UNKNOWN", `${lockPath} does not exist yet; run \`sapper pin --config ${flags.config}\` first`);
    const refs = flags.approve.map(parseApproveRef);
    const cache = new Map<string, UpstreamPins>();
    let approved = 0;
    for (const ref of refs) {
      if (!cache.has(ref.upstream)) cache.set(ref.upstream, await currentPins(config, ref.upstream));
      approved += applyApproval(existing, ref, cache.get(ref.upstream)!, out);
    }
    if (approved > 0) writeLockFile(lockPath, existing);
    out.write(`approved ${approved} definition${approved === 1 ? "" : "s"} in ${lockPath}\n`);
    return ExitCodes.ok;
  }

  const lock = existing ?? emptyLockFile();
  const pending: string[] = [];
  const drift: string[] = [];
  let pinned = 0;
  for (const upstream of Object.keys(config.upstreams)) {
    const now = await currentPins(config, upstream);
    const locked = lock.upstreams[upstream];
    if (!locked) {
      drift.push(`  new     ${upstream}/* (upstream not pinned yet)`);
      lock.upstreams[upstream] = now;
      pinned += Object.keys(now.tools).length + Object.keys(now.prompts).length + Object.keys(now.resourceTemplates).length + (now.instructions ? 1 : 0);
      continue;
    }
    for (const c of comparePins(locked, now)) {
      drift.push(describe(upstream, c));
      if (c.change === "changed") {
        pending.push(`${upstream}/${label(c)}`);
        continue;
      }
      // New definitions are pinned as they are; removed ones are dropped. Changed ones need --approve.
      const section = c.kind === "instructions" ? undefined : PIN_SECTIONS.find((s) => SECTION_KIND[s] === c.kind)!;
      if (section) {
        if (c.change === "removed") delete locked[section][c.name];
        else locked[section][c.name] = now[section][c.name]!;
      } else if (c.change === "removed") delete locked.instructions;
      else locked.instructions = now.instructions!;
      pinned++;
    }
  }
  for (const upstream of Object.keys(lock.upstreams)) {
    if (!config.upstreams[upstream]) drift.push(`  removed ${upstream}/* (upstream no longer configured)`);
  }

  if (flags.check) {
    if (drift.length === 0) {
      out.write(`ok: every definition matches ${lockPath}\n`);
      return ExitCodes.ok;
    }
    out.write(`${drift.join("\n")}\n`);
    throw new SapperError("SAPPER_PIN_DRIFT", `${drift.length} definition${drift.length === 1 ? "" : "s"} differ from ${lockPath}`);
  }
  for (const upstream of Object.keys(lock.upstreams)) if (!config.upstreams[upstream]) delete lock.upstreams[upstream];
  writeLockFile(lockPath, lock);
  if (drift.length) out.write(`${drift.join("\n")}\n`);
  out.write(`${existing ? "updated" : "wrote"} ${lockPath}: ${pinned} definition${pinned === 1 ? "" : "s"} pinned\n`);
  if (pending.length) {
    throw new SapperError("SAPPER_PIN_DRIFT", `${pending.length} pinned definition${pending.length === 1 ? "" : "s"} changed and stay blocked until approved: ${pending.map((p) => `sapper pin --config ${flags.config} --approve ${p}`).join("; ")}`);
  }
  return ExitCodes.ok;
}
