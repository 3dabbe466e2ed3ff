// Reading the evaluation fixtures (test/fixtures/poisoning/): every fixture file set by set, how a benign file and
// a case of a poisoned file become what an upstream exposes. Plain JavaScript (types in poisoning-fixtures.d.mts),
// so that the tests and scripts/train-text-model.mjs, which runs on dist, read the sets one way.
import { readdirSync, readFileSync } from "node:fs";

const root = new URL("../fixtures/poisoning/", import.meta.url);

/** Every fixture file: sets in name order (the top-level benign/ and poisoned/ are the set "labelled"), each set's parts (benign, poisoned, unseen …) and files in name order. */
export function fixtureFiles() {
  const out = [];
  const read = (set, part, dir) => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      out.push({ set, part, file, data: JSON.parse(readFileSync(new URL(file, dir), "utf8")) });
    }
  };
  for (const entry of readdirSync(root, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isDirectory()) continue;
    if (entry.name === "benign" || entry.name === "poisoned") {
      read("labelled", entry.name, new URL(`${entry.name}/`, root));
      continue;
    }
    const setDir = new URL(`${entry.name}/`, root);
    for (const part of readdirSync(setDir, { withFileTypes: true }).filter((p) => p.isDirectory()).map((p) => p.name).sort()) {
      read(entry.name, part, new URL(`${part}/`, setDir));
    }
  }
  return out;
}

/** A benign fixture file (one server) as one upstream. */
export function serverDefinitions(d) {
  return { ...(d.instructions ? { instructions: d.instructions } : {}), tools: d.tools ?? [], prompts: d.prompts ?? [], resourceTemplates: d.resourceTemplates ?? [] };
}

/** A poisoned case as one upstream: one tool, prompt or resource template; or a server case, its instructions and its tools together. */
export function caseDefinitions(c) {
  return {
    ...(c.server ? { instructions: c.server.instructions } : {}),
    tools: c.tool ? [c.tool] : (c.server?.tools ?? []),
    prompts: c.prompt ? [c.prompt] : [],
    resourceTemplates: c.resourceTemplate ? [c.resourceTemplate] : [],
  };
}

/** Every set's definitions, poisoned and benign: the labelled set and every holdout (each benign file as one upstream, each case as its own). */
export function everyFixtureDefinition() {
  return fixtureFiles().flatMap(({ data }) => (data.cases ? data.cases.map(caseDefinitions) : [serverDefinitions(data)]));
}

/** A unit's text as its role's rules read it: identifiers with `_` and `-` read as spaces. */
export function asRulesRead(unit) {
  return unit.role === "prose" ? unit.text : unit.text.replace(/[_-]/g, " ");
}
