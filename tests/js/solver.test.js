// node --test: the page's solver equals the Python engine on the corpus named by
// WRSE_CORPUS (written by tests/test_page_equal.py; skipped when it is not set).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const Solver = require(path.join(__dirname, "..", "..", "optimizer", "page", "solver.js"));
const { compareCorpus } = require("./compare.js");

const corpusFile = process.env.WRSE_CORPUS;

test("page solver equals the engine on the seeded corpus", { skip: !corpusFile && "WRSE_CORPUS not set" }, () => {
  const corpus = JSON.parse(fs.readFileSync(corpusFile, "utf-8"));
  const result = compareCorpus(Solver, corpus);
  console.log(`corpus: ${result.checked} problems, ${result.feasible} solved equal, ${result.refused} refused equally, ${result.mismatches.length} mismatches`);
  assert.deepStrictEqual(result.mismatches.slice(0, 5), []);
  assert.ok(result.checked >= 1);
});
