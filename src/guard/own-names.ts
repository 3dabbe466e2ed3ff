// The names a server calls its own: its tools and prompts, and the actions a multiplexed tool offers.
// A rule that is about another server's tools ("foreign-tool") leaves these alone.
import { collectText, listDefinitions, textArgumentNames } from "./definition-text.js";
import type { UpstreamDefinitions } from "./tool-guard.js";

export interface OwnNames {
  /** Tool and prompt names, lower case, '-' and '.' as '_'. */
  names: ReadonlySet<string>;
  /** The words of those names: "search" is this server's own word when it has "brave_web_search". */
  tokens: ReadonlySet<string>;
  /**
   * Leading runs of two or more words of those names: a vendor's sibling such as
   * "manage_object_schema_column" shares "manage_object_schema" with its own tools.
   */
  prefixes?: ReadonlySet<string>;
  /**
   * The first word and its `_` that every tool name of the server begins with, when it names the vendor or
   * product ("respira_", not "get_"): a name that begins with it is the server's own too, though its list may
   * not hold it (a toolset, or the first page of a long list).
   */
  namespace?: string;
  /**
   * The names of the arguments that can carry text of every tool, prompt and resource template of the server,
   * made on first use: its instructions speak for all of them ("send them in the field id_ref of upload").
   */
  serverArguments?: () => ReadonlySet<string>;
}

/** A tool name as the scanner compares names: lower case, `-` and `.` as `_`. */
export function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[-.]/g, "_");
}

/** Arguments that pick one of a tool's own actions (`integration` with `action: "list_databases"`). */
const ACTION_ARGUMENTS = new Set(["action", "actions", "operation", "op", "method", "command", "cmd", "function", "tool", "task", "endpoint"]);
/** An action's name: an identifier of two or more words (`list_databases`, `create-page`). */
const ACTION_NAME = /^[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)+$/;

export function ownNamesOf(defs: UpstreamDefinitions): OwnNames {
  const names = new Set<string>();
  const tokens = new Set<string>();
  const prefixes = new Set<string>();
  const addName = (name: string) => {
    const n = normalizedName(name);
    names.add(n);
    const words = n.split(/[_/:\s]+/).filter((t) => t !== "");
    for (const t of words) tokens.add(t);
    for (let k = 2; k < words.length; k++) prefixes.add(words.slice(0, k).join("_"));
  };
  for (const d of [...defs.tools, ...defs.prompts]) {
    addName(String(d.name));
    for (const action of actionNames(d)) addName(action);
  }
  // A tool's own parameter ("replaces script_content") is named, not another server's tool; its words
  // are not added to `tokens`, so a one-word name of another server's tool still counts as foreign.
  for (const d of defs.tools) for (const key of Object.keys(inputProperties(d))) if (ACTION_NAME.test(key)) names.add(normalizedName(key));
  // A prefix every tool of the server has ("maps_" of maps_geocode, maps_static_map): its tools are also named without it ("call static_map").
  const toolNames = defs.tools.map((t) => normalizedName(String(t.name)));
  const prefix = sharedPrefix(toolNames);
  if (prefix) for (const n of toolNames) names.add(n.slice(prefix.length));
  let serverArguments: Set<string> | undefined;
  return { names, tokens, prefixes, namespace: isNamespace(prefix) ? prefix : undefined, serverArguments: () => (serverArguments ??= textArgumentsOf(defs)) };
}

function textArgumentsOf(defs: UpstreamDefinitions): Set<string> {
  const out = new Set<string>();
  for (const { ref, definition } of listDefinitions({ ...defs, instructions: undefined })) textArgumentNames(collectText(ref, definition), out);
  return out;
}

/**
 * Verbs that begin tool names: a prefix every tool shares that is one of them ("get_" of get_weather and
 * get_forecast) says what the tools do, not whose they are, and "get_user_credentials" is still another server's.
 */
const ACTION_VERBS = new Set(
  "get list create update delete remove add set put post search find fetch read write send run execute exec call query make check open close start stop save load upload download import export sync generate manage edit modify insert append move copy rename clear reset show view describe analyze analyse convert compute calculate validate test do use invoke".split(" "),
);

/** Whether a shared prefix names the vendor or product (respira_, boond_), not an action. */
function isNamespace(prefix: string): boolean {
  return prefix !== "" && !ACTION_VERBS.has(prefix.slice(0, -1));
}

/** The first word and its `_` that every one of two or more names begins with, each name having more after it; "" when there is none. */
function sharedPrefix(names: readonly string[]): string {
  if (names.length < 2) return "";
  const first = /^[a-z0-9]+_(?=[a-z0-9])/.exec(names[0]!)?.[0];
  return first && names.every((n) => n.startsWith(first) && n.length > first.length) ? first : "";
}

/** A tool's top-level input properties by name (none when its schema has no `properties` object). */
function inputProperties(definition: unknown): Record<string, unknown> {
  const properties = (definition as { inputSchema?: { properties?: unknown } }).inputSchema?.properties;
  return typeof properties === "object" && properties !== null ? (properties as Record<string, unknown>) : {};
}

/** The action names a tool offers through an action-picking argument's enum: its own actions, as its sibling tools are. */
function actionNames(definition: unknown): string[] {
  const out: string[] = [];
  for (const [key, schema] of Object.entries(inputProperties(definition))) {
    if (!ACTION_ARGUMENTS.has(key.toLowerCase()) || typeof schema !== "object" || schema === null) continue;
    const values = (schema as { enum?: unknown }).enum;
    if (Array.isArray(values)) for (const v of values) if (typeof v === "string" && ACTION_NAME.test(v)) out.push(v);
  }
  return out;
}

/**
 * A name in the server's own vocabulary, not another server's well-known tool: one in the namespace every
 * tool of the server shares ("respira_diagnose_connection" of a server whose tools are all "respira_…");
 * or one of three or more words whose words but the last lead one of the server's own names
 * ("manage_object_schema_column" beside "manage_object_schema_columns"), or every word of which is a word
 * of the server's own names, singular or plural ("get_job_logs" of a server with "list_workflow_jobs" and
 * "get_workflow_run_logs", whose tool list may be a toolset that leaves that tool out). Well-known tools
 * of other servers that attacks name ("read_file", "send_email") have two words and are never read this way.
 */
export function isSibling(name: string, own: OwnNames): boolean {
  if (own.namespace && name.length > own.namespace.length && name.startsWith(own.namespace)) return true;
  if (!own.prefixes) return false;
  const words = name.split(/[_/:]+/).filter((t) => t !== "");
  if (words.length < 3) return false;
  return own.prefixes.has(words.slice(0, -1).join("_")) || words.every((w) => ownWord(w, own.tokens));
}

/** Whether a word, or its singular or plural, is a word of the server's own names. */
function ownWord(word: string, tokens: ReadonlySet<string>): boolean {
  return tokens.has(word) || tokens.has(`${word}s`) || (word.endsWith("s") && tokens.has(word.slice(0, -1)));
}

/**
 * The server's own name that `name` imitates with look-alike characters (`send_emai1` beside `send_email`,
 * `get_repo` written `get_rep0`, `rn` for `m`, a capital I for an l, `rėad_file` beside `read_file`), or
 * undefined. Only a name that has such a character and reads, with it swapped, as another of the server's
 * names: a typo-squat beside the tool it would take calls from.
 */
export function imitatedOwnName(name: string, own: OwnNames): string | undefined {
  const self = normalizedName(name);
  // A capital I among lower-case letters stands for an l; a letter with a mark (`rėad_file`) for the letter without it.
  const swapped = normalizedName(withoutMarks(name).replace(/(?<=[a-z_])I(?=[a-z_]|$)/g, "l"));
  const count = lookAlikeCount(swapped) + (swapped === self ? 0 : 1);
  if (count === 0) return undefined;
  for (const other of skeletonsOf(own).get(lookAlikeSkeleton(swapped)) ?? []) if (other !== self && lookAlikeCount(other) < count) return other;
  return undefined;
}

/** Per server, its names by their look-alike skeleton (made on first use). */
const skeletons = new WeakMap<OwnNames, Map<string, string[]>>();

function skeletonsOf(own: OwnNames): Map<string, string[]> {
  let bySkeleton = skeletons.get(own);
  if (!bySkeleton) {
    bySkeleton = new Map();
    for (const name of own.names) {
      const key = lookAlikeSkeleton(name);
      const same = bySkeleton.get(key);
      if (same) same.push(name);
      else bySkeleton.set(key, [name]);
    }
    skeletons.set(own, bySkeleton);
  }
  return bySkeleton;
}

/** A name with the marks of its letters taken off (`rėad_file` -> `read_file`); ASCII names as they are. */
function withoutMarks(name: string): string {
  return /[^\x00-\x7f]/.test(name) ? name.normalize("NFD").replace(/\p{M}/gu, "") : name;
}

/** Characters that stand in for letters in a name: digits for l and o, `rn` for m, `vv` for w. */
function lookAlikeSkeleton(name: string): string {
  return name.replace(/1/g, "l").replace(/0/g, "o").replace(/rn/g, "m").replace(/vv/g, "w");
}

function lookAlikeCount(name: string): number {
  return (name.match(/[10]|rn|vv/g) ?? []).length;
}
