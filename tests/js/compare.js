/*
 * Compare the page's solver with the Python engine's answers on a corpus
 * ([{problem, answer}], written by tests/page_helpers.py). Shared by the Node test
 * (solver.test.js) and the Chromium test (tests/test_page_equal.py injects this file).
 * Equality is exact: === on every number, so 0.1 + 0.2 and 0.3 are different answers.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.WrseCompare = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  const FIELDS = ["x", "binding", "shares", "quota", "lower", "upper"];
  const SCALARS = [["total", "total"], ["affordable", "affordable"], ["limited_by", "limitedBy"]];

  function firstDifference(a, b) {
    if (a.length !== b.length) return `length ${a.length} != ${b.length}`;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `[${i}] ${a[i]} != ${b[i]}`;
    return null;
  }

  function compareCorpus(Solver, corpus) {
    const mismatches = [];
    let feasible = 0;
    let refused = 0;
    corpus.forEach(({ problem, answer }, index) => {
      const got = Solver.allocate(problem);
      if (answer.error !== undefined) {
        if (got.ok) mismatches.push({ index, what: `engine refused (${answer.error}), page solved` });
        else if (got.error.key !== answer.error)
          mismatches.push({ index, what: `error ${got.error.key} != ${answer.error}` });
        else refused++;
        return;
      }
      if (!got.ok) {
        mismatches.push({ index, what: `page refused (${got.error.key}), engine solved` });
        return;
      }
      for (const field of FIELDS) {
        const difference = firstDifference(got[field], answer[field]);
        if (difference) {
          mismatches.push({ index, what: `${field}${difference}` });
          return;
        }
      }
      for (const [py, js] of SCALARS) {
        if (got[js] !== answer[py]) {
          mismatches.push({ index, what: `${py} ${got[js]} != ${answer[py]}` });
          return;
        }
      }
      feasible++;
    });
    return { checked: corpus.length, feasible, refused, mismatches };
  }

  return { compareCorpus };
});
