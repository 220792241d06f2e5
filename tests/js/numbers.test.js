// node --test: the page's float helpers equal Python's (WRSE_NUMBERS, written by
// tests/test_page_equal.py): round(x, d), f"{x:.{d}f}", math.fsum, NumPy's pairwise sum.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const Solver = require(path.join(__dirname, "..", "..", "optimizer", "page", "solver.js"));

const file = process.env.WRSE_NUMBERS;

test("float helpers equal Python's", { skip: !file && "WRSE_NUMBERS not set" }, () => {
  const cases = JSON.parse(fs.readFileSync(file, "utf-8"));
  const bad = [];
  for (const c of cases.round) if (!Object.is(Solver.pyRound(c.x, c.d), c.out)) bad.push(["round", c]);
  for (const c of cases.fixed) if (Solver.fixed(c.x, c.d) !== c.out) bad.push(["fixed", c, Solver.fixed(c.x, c.d)]);
  for (const c of cases.fsum) if (!Object.is(Solver.fsum(c.values), c.out)) bad.push(["fsum", c.out]);
  for (const c of cases.npsum) if (!Object.is(Solver.npSum(c.values), c.out)) bad.push(["npsum", c.out]);
  const n = cases.round.length + cases.fixed.length + cases.fsum.length + cases.npsum.length;
  console.log(`numbers: ${n} cases, ${bad.length} mismatches`);
  assert.deepStrictEqual(bad.slice(0, 5), []);
});
