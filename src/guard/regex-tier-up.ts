// Makes every rule's regular expression run as optimized native code from the first definition
// scanned, on every Node version Sapper supports.
//
// V8 starts a regular expression in its bytecode interpreter and "tiers it up" to native code per
// string encoding once it has run a few times (V8 11-13 also once it has run on a subject of 1,000
// characters or more). Two things go wrong for the rules:
// - An expression that went native on one-byte text can stay interpreted on two-byte text (and the
//   reverse) for every later subject shorter than that: a rule that searches whole descriptions then
//   runs several times slower for the life of the process, depending on what it read first.
// - V8 14 (Node 26, the Docker image's runtime) tiers up by assembling native code from the bytecode,
//   and that code runs the rules about 3x slower than what its optimizing compiler makes (measured on
//   the calls of one scan, replayed: EX-016 0.70 ms against 0.24 ms); the labelled corpus scanned in
//   80-91 ms on Node 26 against 66-68 ms on Node 20 (70-77 ms on Node 26 with this).
// So the process compiles regular expressions with the optimizing compiler from their first use
// (`--no-regexp-tier-up`: the behaviour of V8 before 7.8; same results, only how the code is made),
// unless the command line says otherwise, and each rule's expression is then run twice on a long
// blank subject of each encoding at start-up, so both encodings are compiled once, the same way each time.
import { setFlagsFromString } from "node:v8";

const LONG = 1200;
const ONE_BYTE = " ".repeat(LONG);
// U+2003 (em space) makes the string two-byte; blanks match no rule's words, so each run ends fast.
const TWO_BYTE = "\u2003".repeat(LONG);

/** V8 flags on the command line about regular expressions, or freezing V8's flags: then they are left alone. */
const LEFT_TO_THE_COMMAND_LINE = /^--(?:no-?)?(?:regexp[-_]|freeze[-_]flags[-_]after[-_]init\b)/;

let compilerChosen = false;

/** Whether the command line says how regular expressions are compiled (or freezes V8's flags): then Sapper leaves it so. */
export function regexCompilerOnCommandLine(execArgv: readonly string[]): boolean {
  return execArgv.some((arg) => LEFT_TO_THE_COMMAND_LINE.test(arg));
}

/** Compiles regular expressions with V8's optimizing compiler from their first run (see above); once per process. */
function chooseRegexCompiler(): void {
  if (compilerChosen) return;
  compilerChosen = true;
  if (!regexCompilerOnCommandLine(process.execArgv)) setFlagsFromString("--no-regexp-tier-up");
}

/** Runs each expression twice on a long subject of either encoding, so that both are compiled now. */
export function tierUp(regexes: Iterable<RegExp>): void {
  chooseRegexCompiler();
  for (const re of regexes) {
    for (const subject of [ONE_BYTE, TWO_BYTE]) {
      for (let i = 0; i < 2; i++) {
        re.lastIndex = 0;
        re.exec(subject);
      }
    }
    re.lastIndex = 0;
  }
}
