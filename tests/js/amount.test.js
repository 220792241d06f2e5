// node --test: the page's reading of typed amounts equals --budget's (WRSE_AMOUNTS, written
// by tests/test_page_amount.py): the same value, or refused for the same reason.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const Amount = require(path.join(__dirname, "..", "..", "optimizer", "page", "amount.js"));

const file = process.env.WRSE_AMOUNTS;

function compareAmounts(cases) {
  const bad = [];
  for (const c of cases) {
    const got = Amount.parseAmount(c.text);
    if (c.value !== null && !(got.ok && got.value === c.value)) bad.push({ text: c.text, want: c.value, got });
    if (c.value === null && (got.ok || got.error.key !== c.error)) bad.push({ text: c.text, want: c.error, got });
  }
  return bad;
}

test("amounts read as --budget reads them", { skip: !file && "WRSE_AMOUNTS not set" }, () => {
  const cases = JSON.parse(fs.readFileSync(file, "utf-8"));
  const bad = compareAmounts(cases);
  console.log(`amounts: ${cases.length} spellings, ${cases.filter((c) => c.value === null).length} refused, ${bad.length} mismatches`);
  assert.deepStrictEqual(bad.slice(0, 5), []);
});

module.exports = { compareAmounts };
