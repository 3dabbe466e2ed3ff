// The weak-signal scoring layer (SC-001): flags a definition when several independent,
// attack-shaped signals co-occur, even when no phrase rule matches. Each signal is a word list
// registered as gate groups in the rule set's GateIndex, so the scanner's one pass over a
// definition's text (the same pass that decides which rules can run) also tells which signals are
// present: no extra regex pass per signal.
//
// A signal is "strong" when a word of its strong list occurs, "weak" when only its weak list does.
// Words are whole [a-z0-9] words; items starting with "=" are substrings (phrases, punctuation).
// Tuned only on test/fixtures/poisoning/{poisoned,benign,holdout-v2} (see docs/supply-chain.md).
import type { Family } from "./rule-set.js";

export type SignalName = "obligation" | "secrecy" | "target" | "privateFile" | "sink" | "otherTools" | "addressesModel";

interface SignalVocabulary {
  name: SignalName;
  family: Family;
  /** Score when a strong word occurs; weak words score half. */
  weight: number;
  strong: string[];
  weak: string[];
  /** Words read only in property names and other keys (a sink named like `notes`). */
  keys?: string[];
}

export const SIGNALS: readonly SignalVocabulary[] = [
  {
    name: "obligation",
    family: "hidden-instructions",
    weight: 1,
    strong: [
      "=you must", "=you should", "=you need to", "=you have to", "=you are required", "=make sure to", "=be sure to",
      "=is required to", "=before using this", "=before calling this", "=before you call", "=before you use",
      "=after using this", "=after calling this", "=prior to calling", "=prior to using", "=from now on",
      "=you need", "=must first", "=must also", "=must always", "=always read", "=always include", "=always append", "=always add", "=otherwise the", "=will fail", "=will not work", "=cannot authenticate", "=required:", "=to complete the", "obligatory",
    ],
    weak: ["must", "always", "never", "should", "ought", "need", "needs", "required", "requirement", "first", "before", "prior", "whenever"],
  },
  {
    name: "secrecy",
    family: "hidden-instructions",
    weight: 2,
    strong: [
      "=do not tell", "=don't tell", "=do not mention", "=don't mention", "=do not inform", "=don't inform", "=do not reveal", "=don't reveal",
      "=never tell", "=never mention", "=never reveal", "=without telling", "=without informing", "=without mentioning",
      "=without notifying", "=without alerting", "=no need to mention", "=no need to tell",
      "=not narrate",
      "=need not be narrated", "=hidden from the user",
      "=user must not",
      "=without asking", "=not be mentioned", "=should not be mentioned", "=hidden copy", "=proceed silently", "=silently forward", "=silently send", "=silently add", "=silently include", "=silently append", "=without confirmation", "=not ask for confirmation", "=without the user", "=user doesn't need to know", "=user does not need to know", "=user doesn't need to be", "=user does not need to be", "=user doesn't need to see", "=user does not need to see", "=not ask the user", "=not shown", "=not show the", "=not show this", "=not show it", "=not show them", "=not show that", "=not show any", "=not show anything", "=not show what", "=not show to", "=don't show the", "=don't show this", "=don't show it", "=don't show them", "=don't show that", "=don't show any", "=don't show anything", "=don't show what", "=don't show to", "=need to inform", "=confuses them", "=not notify", "=do not ask", "=don't ask", "=already agreed", "=already consented",
      "=not worth a mention", "=not worth mentioning", "=only part worth", "=stays out of th", "=stay out of th", "=kept out of th",
      "secretly", "covertly", "unnoticed", "surreptitiously",
    ],
    weak: ["silently", "silent", "invisible", "hidden", "conceal", "unannounced"],
  },
  {
    name: "target",
    family: "sensitive-target",
    weight: 1.5,
    strong: [
      "credentials", "credential", "passwords", "password", "passwd", "secrets", "keychain", "=api key", "=api_key",
      "=private key", "=id_rsa", "=id_ed25519", "=.ssh", "=.aws", "=.env", "=.npmrc", "=.pypirc", "=.netrc", "=.gitconfig", "=mcp.json",
      "=conversation history", "=previous messages",
      "=earlier messages", "=~/", "=/etc/",
      "=access token", "=.kube", "=.git-credentials", "=.gnupg", "=.password", "=_token", "=/.config/", "=access tokens", "=api keys", "=key material", "=summary of the conversation", "=summary_of_conversation", "=the conversation", "=user's question", "=account email", "=docker/config", "=config.json", "=secret", "=private keys", "=from the environment", "=environment variables",
    ],
    weak: ["secret", "token", "tokens", "ssh", "env", "environment", "history", "conversation", "config", "keys", "key", "login", "logins"],
  },
  {
    // The user's own files and conversation, named the way an attack names them (a path, a dotfile,
    // "previous messages"): benign secret managers and SSH tools talk about secrets, rarely about these.
    name: "privateFile",
    family: "sensitive-target",
    weight: 2,
    strong: [
      "=id_rsa", "=id_ed25519", "=.ssh/", "=.aws/", "=/.env", "=.env file", "=the .env", "=.npmrc", "=.pypirc", "=.netrc", "=.gitconfig",
      "=.git-credentials", "=.gnupg", "=.kube/", "=mcp.json", "=claude_desktop_config",
      "=chat transcript", "=conversation history", "=previous messages", "=previous user messages", "=earlier messages",
      "=summary_of_conversation", "=summary of the conversation", "=/etc/passwd",
      "=/etc/shadow", "=.docker/config", "=keychain",
    ],
    weak: [],
  },
  {
    name: "sink",
    family: "exfiltration",
    weight: 1.5,
    strong: [
      "upload", "exfiltrate", "transmit", "forward", "bcc", "=send it", "=send them", "=send a copy", "=post it",
      "=append it", "=append them", "=append the", "=paste the", "=copy the", "=hand over", "=hand all",
      "=send the", "=embed its", "=embed the", "=paste it", "=add it to", "=include it in", "=include them in", "=pass every", "=pass its", "=pass the contents", "=bcc:", "embed", "=![", "=](http", "=?d=", "=?u=", "=?c=", "=?q=", "=into the", "=in the `", "=put the", "=cross-post", "=render this image", "=markdown link", "=copy the text", "=copy its", "=fill it with", "=as well to", "=also send", "=also post", "=://",
    ],
    weak: ["send", "post", "include", "attach", "append", "pass", "paste", "copy", "forwarded", "relay", "mirror", "cc", "=@"],
    keys: [
      "notes", "note", "sidenote", "context", "metadata", "feedback", "diagnostics",
      "telemetry", "extra", "remarks",
    ],
  },
  {
    name: "otherTools",
    family: "shadowing",
    weight: 1.5,
    strong: [
      "=other tool", "=another tool", "=other server", "=another server", "=any tool", "=all tools", "=every tool", "=other mcp",
      "=instead of using",
      "=server's", "=other servers", "=whenever you call", "=every other", "=all other", "=route all", "=must not be used", "=deprecated", "=compromised", "=never use the", "=do not use the", "=don't use the", "=integration's", "=replacement for", "=other fetch", "=whenever the", "=call the", "=tool with",
    ],
    weak: ["tool", "tools", "server", "servers", "override", "replace", "substitute", "instead"],
  },
  {
    name: "addressesModel",
    family: "hidden-instructions",
    weight: 1,
    strong: [
      "=the assistant", "=assistant:",
      "=<important>", "=important:", "=ignore ", "=disregard", "=protocol:", "=assistants", "=your next call", "=<|im_start|>", "=[system", "=system:", "=### system", "=ai agent",
      "llm", "assistant", "assistants", "agent", "agents",
    ],
    weak: ["you", "your", "instead", "important", "model", "ai"],
  },
];

/** Verbs that, at the start of a sentence other than a field's first, order the reader to act. */
const IMPERATIVES = [
  "read", "send", "copy", "include", "pass", "put", "paste", "add", "append", "gather", "collect", "fetch", "open", "call", "forward",
  "upload", "attach", "embed", "fill", "cat", "look", "ignore", "disregard", "remember", "save", "store", "set", "change", "route",
  "use", "replace", "run", "execute", "insert", "place", "provide", "grab", "retrieve", "load", "encode", "post", "write", "email",
  "mail", "cc", "bcc", "also", "then", "first", "make", "ensure", "do", "don't", "never", "always", "whenever", "before", "after",
];

/** A signal's gate group ids, per strength and place. */
export interface CompiledSignal {
  vocabulary: SignalVocabulary;
  strong: number;
  weak: number;
  keys: number | undefined;
  /** Sentence-initial imperative verbs (obligation only). */
  imperative: number | undefined;
}

/** Group registration as GateIndex.add offers it: one alternative of one group. */
type Register = (words: string[]) => number;

export function compileSignals(register: Register): CompiledSignal[] {
  return SIGNALS.map((v) => ({
    vocabulary: v,
    strong: register(v.strong),
    weak: register(v.weak),
    keys: v.keys ? register(v.keys) : undefined,
    imperative: v.name === "obligation" ? register(IMPERATIVES) : undefined,
  }));
}

/** Whether the word at `at` starts a sentence that is not the first of its field: after . ! ? : ; > ) ] and white space. */
function startsLaterSentence(text: string, at: number): boolean {
  let i = at - 1;
  let sawSpace = false;
  while (i >= 0) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) break;
    sawSpace = true;
    i--;
  }
  if (i < 0 || !sawSpace) return false;
  if (text.charCodeAt(i + 1) === 10 && text.charCodeAt(i + 2) === 10 && i + 3 === at) return false; // a field boundary
  const c = text[i]!;
  return c === "." || c === "!" || c === "?" || c === ":" || c === ";" || c === ">" || c === ")" || c === "]" || text.charCodeAt(i + 1) === 10;
}

/**
 * Occurrences that do not make their signal: a public key's path is no private file; a place where
 * data "may be stored" or "ends up" (logs, the conversation history), what is deleted, and where a
 * tool searches are no target; a forbidden action ("do not pass the private key") is no sink; and
 * "not … without asking" is no secrecy, nor is a warning of what the tool itself does ("overwrites
 * any existing file … without confirmation").
 */
function discounted(name: SignalName, text: string, at: number): boolean {
  if (name === "privateFile") return namesPublicKey(text, at) || namesPlaceNotTaken(text, at);
  if (name === "target") return namesPlaceNotTaken(text, at);
  if (name === "sink") return holdsAt(FORBIDDEN, text, at) || holdsAt(INTO_SECRET_STORE, text, at);
  if (name === "secrecy") return holdsAt(WITHOUT, text, at) && (holdsAt(NEGATED, text, at) || holdsAt(OWN_EFFECT, text, at));
  return false;
}

/** Whether the words before `at` name where data is kept, what is deleted, where a tool searches, or a kind of file it writes. */
function namesPlaceNotTaken(text: string, at: number): boolean {
  return holdsAt(STORED_IN, text, at) || holdsAt(DELETED, text, at) || holdsAt(SEARCHED_IN, text, at) || holdsAt(WRITTEN_KIND, text, at);
}

/** Whether a sticky expression matches at `at` (a look-behind: the text before it ends as it says), without slicing the text. */
function holdsAt(sticky: RegExp, text: string, at: number): boolean {
  sticky.lastIndex = at;
  return sticky.test(text);
}

/** A key that names extra options of the tool's own command (`extra_args`, `extra_headers`), not a free-text field a payload could ride in. */
const OPTION_BAG = /extra\s+(?:args|arguments|argv|flags|options|opts|headers|env)\b/iy;
const STORED_IN = /(?<=\b(?:stored|logged|kept|saved|recorded|persisted|retained|visible|appears?|ends?\s+up|leaked|exposed|cached)\s+in\s+(?:(?:the|your|any|logs?|request|server|client|or|and)\s+){0,4})/iy;
/** What a tool deletes or clears ("deleting all development progress and conversation history") is no target: nothing leaves. */
const DELETED = /(?<=\b(?:delet|clear|remov|reset|wip|purg|eras)(?:e|es|ed|ing|s|ting)?\s+(?:\w+\s+){0,4}?)/iy;
/** Where a tool searches ("a file path to search for in conversation history") is where it looks, not what it takes. */
const SEARCHED_IN = /(?<=\b(?:search(?:ed|es|ing)?|look(?:ed|s|ing)?\s+(?:for|up)|find|found)\s+(?:for\s+)?(?:\w+\s+)?in\s+(?:the\s+|your\s+|all\s+)?)/iy;
/**
 * The kinds of file a tool writes, listed ("Write config files (nginx.conf, systemd service files, .env files)", "Render a
 * template to a file … for .env files, config files"): nothing is read.
 */
const WRITTEN_KIND =
  /(?<=\b(?:writ(?:e|es|ing)|creat(?:e|es|ing)|generat(?:e|es|ing)|edit(?:s|ing)?)\s+(?:\w+\s+){0,2}?files?\s*\([^()\n]{0,80}|\b(?:writ(?:e|es|ing)|render(?:s|ing)?|generat(?:e|es|ing))\s+(?:\w+\s+){0,3}?to\s+(?:a\s+|the\s+)?files?\b[^.!?\n]{0,100}?\bfor\s+)/iy;
const WITHOUT = /without\b/iy;
/** "must not proceed without the user's approval": a "without" under a negation asks for what it names. */
const NEGATED = /(?<=(?:\b(?:not|never|cannot)|n['’]t)\b(?!\s+(?:hesitate|worry|bother|wait|stop|pause))[^.!?;\n]{0,60})/iy;
/** A side effect the text warns of, in the third person: "OVERWRITES any existing file with the same filename" (before "without confirmation"). */
const OWN_EFFECT = /(?<=\b(?:overwrites|deletes|removes|replaces|erases|truncates|wipes|discards)\b[^.!?;\n]{0,80})/iy;
/** Secrets put into a vault, keychain or password manager ("Import a file into the vault") are kept, not sent anywhere. */
const INTO_SECRET_STORE =
  /into\s+(?:the|your|an?)\s+(?:encrypted\s+|local\s+|secure\s+)?(?:vault|keychain|keyring|keystore|(?:secrets?|password|credential)\s+(?:store|manager|vault))\b/iy;
const FORBIDDEN = /(?<=\b(?:do\s+not|don'?t|never|avoid|must\s+not|should\s+not|not\s+to)\s+(?:\w+\s+)?)/iy;

/** Whether the path at `at` (up to white space, a quote, a bracket or a comma) is a public key, `….pub`: not a private file. */
function namesPublicKey(text: string, at: number): boolean {
  let end = at;
  while (end < text.length && !PATH_END.has(text.charCodeAt(end))) end++;
  while (end > at && text.charCodeAt(end - 1) === 46) end--; // a sentence's full stop
  return text.endsWith(".pub", end);
}

const PATH_END = new Set([..." \t\n\r`'\"()<>[]{},;"].map((c) => c.charCodeAt(0)));

/** The rule id of the layer's findings (ignorable like any rule). */
export const SCORE_RULE_ID = "SC-001";

/** The least number of distinct strong signals in one window for a finding without secrecy (chosen on the older fixtures). */
export const MIN_STRONG = 4;
/** What a signal present only through its weak words counts, relative to a strong one. */
export const WEAK = 0.25;

export interface SignalScore {
  score: number;
  /** Signals present with their strength (1 strong, 0.5 weak). */
  present: Array<{ name: SignalName; family: Family; strength: number; points: number }>;
}

/** Signals count together only within this many characters of each other (about two sentences). */
export const WINDOW = 320;

export interface Analysed {
  /** Start offsets of tracked groups' words (GateIndex.track). */
  tracked: ReadonlyMap<number, readonly number[]>;
  /** The analysed text as written, to tell where a sentence starts and what comes before a word. */
  text: string;
}

/**
 * Scores a definition from the one pass over its prose and its keys: the best window of WINDOW
 * characters (in the prose, or in the keys; a suspicious one first, then the highest score), where
 * each signal counts once at its strongest. A sink
 * named by a property (`notes`, `metadata`) counts in every window. Text that only names something
 * (the definition's own name) does not count.
 */
export function scoreSignals(signals: readonly CompiledSignal[], prose: Analysed | undefined, keys: Analysed | undefined): SignalScore {
  const base: number[] = signals.map((s) => (s.keys !== undefined && keys !== undefined && (keys.tracked.get(s.keys) ?? []).some((at) => !holdsAt(OPTION_BAG, keys.text, at)) ? 1 : 0));
  const strength = base.slice();
  const best = { score: windowScore(signals, strength), flagged: suspiciousMask(strongMask(signals, strength)), strength: strength.slice() };
  const strong = signals.map(() => 0);
  const weak = signals.map(() => 0);
  for (const text of [prose, keys]) {
    if (!text) continue;
    // Events as at * EVENT_KINDS + signal * 3 + kind: in text order, then signal, then list, as the lists are read.
    const events: number[] = [];
    signals.forEach((s, i) => {
      const name = s.vocabulary.name;
      for (const at of text.tracked.get(s.strong) ?? []) if (!discounted(name, text.text, at)) events.push(at * EVENT_KINDS + i * 3);
      for (const at of text.tracked.get(s.weak) ?? []) if (!discounted(name, text.text, at)) events.push(at * EVENT_KINDS + i * 3 + 1);
      if (s.imperative !== undefined) for (const at of text.tracked.get(s.imperative) ?? []) if (startsLaterSentence(text.text, at)) events.push(at * EVENT_KINDS + i * 3 + 2);
    });
    if (events.length === 0) continue;
    const sorted = Float64Array.from(events).sort();
    strong.fill(0);
    weak.fill(0);
    let from = 0;
    for (let to = 0; to < sorted.length; to++) {
      const at = Math.floor(sorted[to]! / EVENT_KINDS);
      count(sorted[to]!, strong, weak, 1);
      while (Math.floor(sorted[from]! / EVENT_KINDS) < at - WINDOW) count(sorted[from++]!, strong, weak, -1);
      for (let i = 0; i < signals.length; i++) strength[i] = Math.max(base[i]!, strong[i]! > 0 ? 1 : weak[i]! > 0 ? WEAK : 0);
      const score = windowScore(signals, strength);
      const flagged = suspiciousMask(strongMask(signals, strength));
      if ((flagged && !best.flagged) || (flagged === best.flagged && score > best.score)) {
        best.score = score;
        best.flagged = flagged;
        best.strength = strength.slice();
      }
    }
  }
  return { score: best.score, present: presentSignals(signals, best.strength) };
}

/**
 * Whether any window of the text could be suspicious: the signals whose strong words (for
 * obligation, also its imperatives; for a sink, also a property name) occur anywhere, taken
 * together. isSuspicious only grows with more strong signals, so when these are not enough no window
 * is, and scoreSignals need not run.
 */
export function mayBeSuspicious(signals: readonly CompiledSignal[], prose: Analysed | undefined, keys: Analysed | undefined): boolean {
  // A signal's groups are tracked (see compileRuleSet): one is in the text when it has positions.
  const has = (text: Analysed | undefined, id: number | undefined) => id !== undefined && text !== undefined && text.tracked.has(id);
  let mask = 0;
  for (const s of signals) {
    if (has(prose, s.strong) || has(keys, s.strong) || has(prose, s.imperative) || has(keys, s.imperative) || has(keys, s.keys)) mask |= SIGNAL_BIT[s.vocabulary.name];
  }
  return suspiciousMask(mask);
}

/** Room per offset in an encoded event: a signal (up to 10) times its three lists. */
const EVENT_KINDS = 32;

/** Adds (or with -1 removes) an encoded event to the window's counts: strong words and imperatives count as strong. */
function count(event: number, strong: number[], weak: number[], delta: number): void {
  const kind = event % EVENT_KINDS;
  const signal = Math.floor(kind / 3);
  if (kind % 3 === 1) weak[signal]! += delta;
  else strong[signal]! += delta;
}

/** A window's score: its signals' weights times their strengths, added in signal order. */
function windowScore(signals: readonly CompiledSignal[], strength: readonly number[]): number {
  let score = 0;
  signals.forEach((s, i) => {
    if (strength[i] !== 0) score += s.vocabulary.weight * strength[i]!;
  });
  return score;
}

function presentSignals(signals: readonly CompiledSignal[], strength: readonly number[]): SignalScore["present"] {
  const present: SignalScore["present"] = [];
  signals.forEach((s, i) => {
    if (strength[i] !== 0) present.push({ name: s.vocabulary.name, family: s.vocabulary.family, strength: strength[i]!, points: s.vocabulary.weight * strength[i]! });
  });
  return present;
}

const SIGNAL_BIT: Readonly<Record<SignalName, number>> = { obligation: 1, secrecy: 2, target: 4, privateFile: 8, sink: 16, otherTools: 32, addressesModel: 64 };

function strongMask(signals: readonly CompiledSignal[], strength: readonly number[]): number {
  let mask = 0;
  signals.forEach((s, i) => {
    if (strength[i] === 1) mask |= SIGNAL_BIT[s.vocabulary.name];
  });
  return mask;
}

/**
 * Whether a score is a finding: within one window, secrecy towards the user together with a
 * sensitive target, a sink or another tool (or with two other signals), or MIN_STRONG distinct
 * strong signals. Chosen on the older fixtures: secrecy is the one signal benign definitions almost
 * never carry; target + sink + obligation is common in benign email, secret-manager and file tools.
 */
export function isSuspicious(s: SignalScore): boolean {
  let mask = 0;
  for (const p of s.present) if (p.strength === 1) mask |= SIGNAL_BIT[p.name];
  return suspiciousMask(mask);
}

/** isSuspicious over the strong signals as SIGNAL_BIT bits. */
function suspiciousMask(strong: number): boolean {
  let size = 0;
  for (let m = strong; m !== 0; m &= m - 1) size++;
  const b = SIGNAL_BIT;
  if ((strong & b.secrecy) !== 0 && ((strong & (b.target | b.privateFile | b.sink | b.otherTools)) !== 0 || size >= 3)) return true;
  if ((strong & b.privateFile) !== 0 && (strong & (b.sink | b.obligation | b.addressesModel)) !== 0) return true;
  return size >= MIN_STRONG;
}

const PRIORITY: readonly SignalName[] = ["otherTools", "sink", "privateFile", "target", "secrecy", "obligation", "addressesModel"];

/** The signal that names a finding's family: the most points, ties by PRIORITY. */
export function strongestSignal(s: SignalScore): SignalScore["present"][number] {
  return [...s.present].sort((a, b) => b.points - a.points || PRIORITY.indexOf(a.name) - PRIORITY.indexOf(b.name))[0]!;
}
