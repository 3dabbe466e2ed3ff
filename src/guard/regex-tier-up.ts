// Makes a rule's regular expression run as native code from the first text it reads.
// V8 starts a regular expression in its bytecode interpreter and compiles native code per string
// encoding once the expression has run on a subject of 1,000 characters or more, or once a tick has
// passed. An expression that went native on one-byte text can stay interpreted on two-byte text (and
// the reverse) for every later subject shorter than that: a rule that searches whole descriptions then
// runs several times slower for the life of the process, depending on what it happened to read first.
// Two runs on a long subject of each encoding just before its first use decide it once, the same way
// each time. (Before first use, not at start-up: compiling all of them took 2-3 s at every start, and
// most expressions are never run by a given scan: a rule runs only where its gate opens, and a rule
// that starts at words almost never needs its whole-text search.)
//
// V8 14 (Node 26, the Docker image's runtime) tiers up by assembling native code from the bytecode,
// which runs the rules about 3x slower than what its optimizing compiler makes: there, `node
// --no-regexp-tier-up` (deploy/Dockerfile's entry point) compiles every expression with the optimizing
// compiler from its first run. That flag must be given when the process starts: set at run time
// (v8.setFlagsFromString), it crashes the process once an expression compiled before the change runs
// on a long subject (docs/supply-chain.md, "By Node version").

const LONG = 1200;
// Full stops: no rule's words, no blanks, and no sentence for `[^.!?\n]` to read, so each run ends
// fast. (Blanks did not: a look-behind such as `(?<!\bfoo\s+)` reads back over every blank before
// each position, 0.13 s for EX-006 alone.) U+3002, the ideographic full stop, makes the string two-byte.
const ONE_BYTE = ".".repeat(LONG);
const TWO_BYTE = "\u3002".repeat(LONG);

/** Runs an expression twice on a long subject of either encoding (marked for native code, then compiled). */
export function tierUp(re: RegExp): void {
  for (const subject of [ONE_BYTE, TWO_BYTE]) {
    for (let i = 0; i < 2; i++) {
      re.lastIndex = 0;
      re.exec(subject);
    }
  }
  re.lastIndex = 0;
}
