// Trains the scanner's text model (src/guard/text-model.ts) on the labelled fixtures and writes
// rules/poisoning-model.v1.json. Deterministic: the same fixtures give the same file.
//
//   npm run build && node scripts/train-text-model.mjs            writes the model
//   node scripts/train-text-model.mjs --held-out 51               measures the method instead: trains on
//                                                                  the sets before v51 only and reports
//                                                                  recall and false positives on v51 on
//                                                                  (writes nothing)
//
// One row per definition: every benign definition of every set (label 0) and every poisoned case
// (label 1), except the sets it is only measured on (MEASURED_ONLY) and those the model does not read (readsForeign: mostly another language in Latin letters). Logistic regression over binary features (definitionFeatures), trained by AdaGrad with L2,
// poisoned rows weighted up for the classes' sizes. The threshold is chosen on scores the model gave
// benign rows it was not trained on (one model per set, trained without it), at FALSE_POSITIVES of them.
import { writeFileSync } from "node:fs";
import { collectText, listDefinitions } from "../dist/guard/definition-text.js";
import { createScanner } from "../dist/guard/scanner.js";
import { DEFAULT_MODEL_PATH, definitionFeatures, readsForeign, sentenceEnds } from "../dist/guard/text-model.js";
import { caseDefinitions, fixtureFiles, serverDefinitions } from "../test/helpers/poisoning-fixtures.mjs";

const EPOCHS = 6;
const RATE = 0.5;
const L2 = 1e-4;
const POSITIVE_WEIGHT = 3;
/** Each present feature's value (binary features, scaled so that the rates above suit them). */
const VALUE = 0.1;
/** The fewest definitions a feature must occur in to be learnt. */
const MIN_ROWS = 12;
const FALSE_POSITIVES = 0.004;
/** Weights smaller than this are left out of the file (they move no verdict; see --held-out). */
const KEEP = 0.05;
/**
 * Sets the model is measured on and never trained on (not even for the threshold): the newest blind benign sets, so
 * that they stay an estimate of its false positives on servers it has not seen. (Trained on, v70 moved the threshold
 * from 1.70 to 1.22, where 48 of the attack-class tests' 452 benign look-alikes warn instead of 18, and v68 with v69
 * to 1.40; v71, its 340 benign and 39 published poisoned definitions, to 1.47, where 35 warn; v72 with v73 to 1.20;
 * see docs/supply-chain.md, "The text model".)
 */
const MEASURED_ONLY = new Set(["holdout-v68", "holdout-v70", "holdout-v71", "holdout-v72", "holdout-v73", "holdout-v74", "holdout-v75", "holdout-v76", "holdout-v77", "holdout-v78", "holdout-v79", "holdout-v80", "holdout-v81", "holdout-v82", "holdout-v83", "holdout-v84", "holdout-v85", "holdout-v86", "holdout-v87", "holdout-v88", "holdout-v89", "holdout-v90", "holdout-v91"]);

const args = process.argv.slice(2);
const heldOutFrom = args.includes("--held-out") ? Number(args[args.indexOf("--held-out") + 1]) : undefined;

/** The set's number: 0 for the labelled set, N for holdout-vN. */
const setNumber = (set) => (set === "labelled" ? 0 : Number(set.replace("holdout-v", "")));

const rulesOnly = createScanner({ model: null });

/**
 * The benign host a poisoned tool is built on, as far as it can be told: its name, the first sentence of its
 * description (when more follows) and its property names, without their descriptions. Most attacks are written
 * into a plain tool ("Adds two numbers." …), and without the host as a benign example too, the model learns the
 * host's words ("adds two", "a b", "get weather") as an attack's. None when the rules warn about the host itself
 * (the attack is in that sentence or in a name).
 */
function hostOf(tool) {
  if (typeof tool.description !== "string") return undefined;
  const end = sentenceEnds(tool.description)[0];
  if (end >= tool.description.trimEnd().length) return undefined;
  const properties = Object.fromEntries(Object.keys(tool.inputSchema?.properties ?? {}).map((k) => [k, { type: "string" }]));
  const host = { name: tool.name, description: tool.description.slice(0, end).trim(), inputSchema: { type: "object", properties } };
  const warned = rulesOnly.scan({ tools: [host], prompts: [], resourceTemplates: [] }).some((f) => f.severity !== "info" && f.severity !== "low");
  return warned ? undefined : host;
}

function rows() {
  const out = [];
  const units = (defs) => listDefinitions(defs).map((e) => collectText(e.ref, e.definition));
  for (const { set, part, data } of fixtureFiles()) {
    if (part === "benign") {
      for (const u of units(serverDefinitions(data))) if (!readsForeign(u)) out.push({ set, label: 0, official: data.official === true, features: definitionFeatures(u) });
    } else if (part === "poisoned") {
      for (const c of data.cases ?? []) {
        const read = units(caseDefinitions(c)).flat();
        if (readsForeign(read)) continue;
        out.push({ set, label: 1, features: definitionFeatures(read) });
        const twin = c.tool && hostOf(c.tool);
        if (twin) out.push({ set, label: 0, twin: true, features: definitionFeatures(units({ tools: [twin], prompts: [], resourceTemplates: [] }).flat()) });
      }
    }
  }
  return out;
}

/** The rows with only the features that occur in MIN_ROWS or more of `learnt` (one text's words say nothing of another's). */
function learnable(all, learnt) {
  const counts = new Map();
  for (const r of learnt) for (const f of r.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  return all.map((r) => ({ ...r, features: r.features.filter((f) => (counts.get(f) ?? 0) >= MIN_ROWS) }));
}

/** A small deterministic generator (the same shuffles every run). */
function generator(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
}

function train(data) {
  const weights = new Map();
  const squares = new Map();
  let bias = 0;
  let biasSquares = 1e-8;
  const random = generator(12345);
  const order = data.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const k of order) {
      const row = data[k];
      let z = bias;
      for (const f of row.features) z += (weights.get(f) ?? 0) * VALUE;
      const g = (1 / (1 + Math.exp(-z)) - row.label) * (row.label ? POSITIVE_WEIGHT : 1);
      for (const f of row.features) {
        const w = weights.get(f) ?? 0;
        const grad = g * VALUE + L2 * w;
        const sq = (squares.get(f) ?? 1e-8) + grad * grad;
        squares.set(f, sq);
        weights.set(f, w - (RATE * grad) / Math.sqrt(sq));
      }
      biasSquares += g * g;
      bias -= (RATE * g) / Math.sqrt(biasSquares);
    }
  }
  // Scores add weight * VALUE: the file holds the products, so a score is bias + the sum of weights.
  const scaled = new Map();
  for (const [f, w] of weights) if (Math.abs(w * VALUE) >= KEEP) scaled.set(f, Math.round(w * VALUE * 1e4) / 1e4);
  return { bias: Math.round(bias * 1e4) / 1e4, weights: scaled };
}

const score = (model, row) => row.features.reduce((s, f) => s + (model.weights.get(f) ?? 0), model.bias);

/**
 * The threshold: above all but FALSE_POSITIVES of the scores of real benign rows, each scored by a model trained
 * without its whole set (one model per set that has benign rows: a set added later changes no other set's scores).
 */
function threshold(data) {
  const sets = [...new Set(data.filter((r) => r.label === 0 && !r.twin).map((r) => r.set))].sort();
  const scores = [];
  for (const held of sets) {
    const model = train(data.filter((r) => r.set !== held));
    for (const r of data) if (r.set === held && r.label === 0 && !r.twin) scores.push(score(model, r));
  }
  scores.sort((a, b) => b - a);
  return Math.round(scores[Math.floor(scores.length * FALSE_POSITIVES)] * 1e4) / 1e4;
}

const all = rows();
if (heldOutFrom !== undefined) {
  // Even the words learnt are chosen on the earlier sets only.
  const data = learnable(all, all.filter((r) => setNumber(r.set) < heldOutFrom));
  const before = data.filter((r) => setNumber(r.set) < heldOutFrom);
  const after = data.filter((r) => setNumber(r.set) >= heldOutFrom);
  const model = { ...train(before), threshold: threshold(before) };
  const flagged = (r) => score(model, r) > model.threshold;
  const poisoned = after.filter((r) => r.label === 1);
  const benign = after.filter((r) => r.label === 0 && !r.twin);
  const official = benign.filter((r) => r.official);
  const perSet = new Map();
  for (const r of poisoned) {
    const [hit, all] = perSet.get(r.set) ?? [0, 0];
    perSet.set(r.set, [hit + (flagged(r) ? 1 : 0), all + 1]);
  }
  console.log(
    JSON.stringify({
      trainedOn: `sets before v${heldOutFrom}: ${before.filter((r) => r.label).length} poisoned, ${before.filter((r) => !r.label && !r.twin).length} benign, ${before.filter((r) => r.twin).length} hosts of poisoned tools`,
      threshold: model.threshold,
      weights: model.weights.size,
      recall: `${poisoned.filter(flagged).length}/${poisoned.length}`,
      benignFlagged: `${benign.filter(flagged).length}/${benign.length}`,
      officialFlagged: `${official.filter(flagged).length}/${official.length}`,
      perSet: Object.fromEntries([...perSet].map(([s, [h, a]]) => [s, `${h}/${a}`])),
    }),
  );
} else {
  const trained = all.filter((r) => !MEASURED_ONLY.has(r.set));
  const data = learnable(trained, trained);
  const model = train(data);
  const sorted = [...model.weights].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const file = {
    $comment:
      "Written by scripts/train-text-model.mjs from test/fixtures/poisoning; do not edit by hand. A definition's score is bias plus the weight of each distinct feature it has (a lower-case word, or two adjacent words parted by a space); above threshold, the scanner reports SC-002 at medium.",
    name: "sapper-poisoning-text-model",
    version: 1,
    training: {
      poisoned: data.filter((r) => r.label === 1).length,
      benign: data.filter((r) => r.label === 0 && !r.twin).length,
      hostsOfPoisonedTools: data.filter((r) => r.twin).length,
      thresholdChosenAt: `${FALSE_POSITIVES * 100}% of real benign definitions, each scored by a model trained without its set`,
      settings: { epochs: EPOCHS, rate: RATE, l2: L2, positiveWeight: POSITIVE_WEIGHT, value: VALUE, keep: KEEP },
    },
    bias: model.bias,
    threshold: threshold(data),
    weights: Object.fromEntries(sorted),
  };
  writeFileSync(DEFAULT_MODEL_PATH, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`wrote ${DEFAULT_MODEL_PATH}: ${sorted.length} weights, bias ${file.bias}, threshold ${file.threshold}`);
}
