/*
 * The allocation engine's rules, a second implementation for the what-if page.
 *
 * Same rules and the same floating-point operations, in the same order, as the Python
 * engine (optimizer/need.py, optimizer/engine.py, optimizer/problem.py,
 * optimizer/apportion.py), so that both give exactly the same vectors, ties included;
 * tests/test_page_equal.py proves it on a seeded corpus, under Node and in Chromium.
 *
 *   need share_r = sum_k w_k * indicator_k,r / sum over included regions of indicator_k
 *     (IDG gap = max(0, round(reference - IDG, 10)); weights normalised; an indicator
 *     totalling 0 drops out and the others are renormalised; sums are math.fsum's)
 *   cost = grant + bimtek; R = floor(budget / cost); quota_r = share_r * R
 *   bounds: lower = max(floor_all, floor_r), upper = min(cap, eligible); a lock sets both;
 *     a region with need share 0 is held at its floor
 *   T = min(R, sum upper) recipients, placed one at a time to the region whose next
 *     recipient costs least (the greedy of apportion.unit_order; ties to the lower code):
 *     Sainte-Laguë: (2k+1)/q - 2; Hamilton: (|k+1-q| - |k-q|, then the Sainte-Laguë cost,
 *     0 for the unit that straddles q); each stage rounded to 9 decimals as Python rounds.
 *
 * Errors are returned, never thrown: {key, params} naming a sentence of the message
 * catalogue (page.error.* in optimizer/messages/*.toml).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.WrseSolver = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  const SAINTE_LAGUE = "sainte-lague";
  const LARGEST_REMAINDER = "largest-remainder";
  const INDICATORS = ["idg_gap", "poverty_rate", "eligible"];
  const DECIMALS = 9;

  // ------------------------------------------------------------ exact float helpers

  /** math.fsum: the correctly rounded sum of finite doubles (CPython's algorithm). */
  function fsum(values) {
    const p = [];
    for (let x of values) {
      let i = 0;
      for (let j = 0; j < p.length; j++) {
        let y = p[j];
        if (Math.abs(x) < Math.abs(y)) {
          const t = x;
          x = y;
          y = t;
        }
        const hi = x + y;
        const lo = y - (hi - x);
        if (lo !== 0) p[i++] = lo;
        x = hi;
      }
      p.length = i;
      p.push(x);
    }
    let n = p.length;
    let hi = 0;
    if (n > 0) {
      hi = p[--n];
      let lo = 0;
      while (n > 0) {
        const x = hi;
        const y = p[--n];
        hi = x + y;
        const yr = hi - x;
        lo = y - yr;
        if (lo !== 0) break;
      }
      if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
        const y = lo * 2;
        const x = hi + y;
        const yr = x - hi;
        if (y === yr) hi = x;
      }
    }
    return hi;
  }

  /** NumPy's pairwise sum (np.add.reduce over a float64 array), as pandas' Series.sum. */
  function npSum(a, start = 0, n = a.length) {
    if (n < 8) {
      let res = -0;
      for (let i = start; i < start + n; i++) res += a[i];
      return res;
    }
    if (n <= 128) {
      const r = [];
      for (let j = 0; j < 8; j++) r.push(a[start + j]);
      let i;
      for (i = 8; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
      let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
      for (; i < n; i++) res += a[start + i];
      return res;
    }
    let n2 = Math.floor(n / 2);
    n2 -= n2 % 8;
    return npSum(a, start, n2) + npSum(a, start + n2, n - n2);
  }

  const VIEW = new DataView(new ArrayBuffer(8));

  /** x = m * 2**e exactly, m a BigInt (signed), e an integer. x finite and non-zero. */
  function decompose(x) {
    VIEW.setFloat64(0, x);
    const high = VIEW.getUint32(0);
    const low = VIEW.getUint32(4);
    const sign = high >>> 31 ? -1n : 1n;
    const biased = (high >>> 20) & 0x7ff;
    let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
    let e;
    if (biased === 0) e = -1074;
    else {
      mantissa |= 1n << 52n;
      e = biased - 1075;
    }
    return [sign * mantissa, e];
  }

  /** round-half-even(x * 10**d) as a BigInt, on the exact binary value of x. */
  function scaledInteger(x, d) {
    if (x === 0) return 0n;
    const [m, e] = decompose(x);
    const num = m * 10n ** BigInt(d);
    if (e >= 0) return num << BigInt(e);
    const den = 1n << BigInt(-e);
    const negative = num < 0n;
    const a = negative ? -num : num;
    let q = a / den;
    const r2 = 2n * (a - q * den);
    if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
    return negative ? -q : q;
  }

  /** Python's round(x, d) for a finite double: the double nearest the correctly rounded
   *  (half-even) decimal. The fast path agrees whenever x * 10**d is not within a few ulps
   *  of a half; otherwise the exact path decides (as optimizer.problem.round_costs). */
  function pyRound(x, d) {
    if (!Number.isFinite(x) || x === 0) return x;
    const scale = 10 ** d;
    const y = x * scale;
    const ay = Math.abs(y);
    if (ay < 2 ** 52 && Math.abs(ay - Math.floor(ay) - 0.5) > ay * 4.5e-16 + 5e-324) {
      const n = Math.sign(y) * Math.round(ay);
      const out = n / scale;
      return out === 0 && x < 0 ? -0 : out;
    }
    const n = scaledInteger(x, d);
    const out = Number(`${n}e-${d}`);
    return out === 0 && x < 0 ? -0 : out;
  }

  /** Python's f"{x:.{d}f}" (exact, half-even) without grouping: "16.80". */
  function fixed(x, d) {
    if (Number.isNaN(x)) return "nan";
    let n = scaledInteger(x, d);
    const negative = n < 0n || (n === 0n && Object.is(x, -0)) || (n === 0n && x < 0);
    if (n < 0n) n = -n;
    let digits = n.toString().padStart(d + 1, "0");
    if (d > 0) digits = `${digits.slice(0, -d)}.${digits.slice(-d)}`;
    return (negative ? "-" : "") + digits;
  }

  // ------------------------------------------------------------ need shares

  function idgGap(idg, reference) {
    return Math.max(0, pyRound(reference - idg, 10));
  }

  /** Weights scaled to sum 1 (need.normalise_weights); null when all are 0. */
  function normaliseWeights(weights) {
    const total = fsum(INDICATORS.map((k) => weights[k] || 0));
    if (!(total > 0)) return null;
    const out = {};
    for (const k of INDICATORS) out[k] = (weights[k] || 0) / total;
    return out;
  }

  /**
   * Need shares (need.need_shares). columns: {idg_gap: [...], poverty_rate: [...],
   * eligible: [...]} in code order. Returns {shares, applied, requested, dropped} or
   * {error}.
   */
  function needShares(columns, weights, n) {
    const normalised = normaliseWeights(weights);
    if (normalised === null) return { error: { key: "weights_zero", params: {} } };
    const totals = {};
    for (const k of INDICATORS) {
      if (normalised[k] === 0) continue;
      const values = columns[k];
      for (let i = 0; i < n; i++) {
        if (values[i] === null || Number.isNaN(values[i]))
          return { error: { key: "indicator_missing", params: { indicator: k, index: i } } };
      }
      totals[k] = fsum(values);
    }
    const used = INDICATORS.filter((k) => normalised[k] > 0 && (totals[k] || 0) > 0);
    const dropped = INDICATORS.filter((k) => normalised[k] > 0 && !((totals[k] || 0) > 0)).map((k) => ({
      indicator: k,
      weight: normalised[k],
    }));
    if (used.length === 0) return { error: { key: "indicators_zero", params: {} } };
    const usedTotal = fsum(used.map((k) => normalised[k]));
    const applied = {};
    for (const k of INDICATORS) applied[k] = used.includes(k) ? normalised[k] / usedTotal : 0;
    const terms = used.map((k) => columns[k].map((v) => applied[k] * (v / totals[k])));
    const shares = new Array(n);
    for (let i = 0; i < n; i++) {
      if (terms.length === 1) shares[i] = terms[0][i];
      else if (terms.length === 2) shares[i] = terms[0][i] + terms[1][i];
      else shares[i] = fsum([terms[0][i], terms[1][i], terms[2][i]]);
    }
    return { shares, applied, requested: normalised, dropped };
  }

  // ------------------------------------------------------------ unit costs

  /** The lexicographic cost of a region's (k+1)-th recipient (problem.key). */
  function key(method, q, k) {
    const sl = (2 * k + 1) / q - 2;
    if (method === SAINTE_LAGUE) return [pyRound(sl, DECIMALS)];
    const first = Math.abs(k + 1 - q) - Math.abs(k - q);
    const second = k < q && q < k + 1 ? 0 : sl;
    return [pyRound(first, DECIMALS), pyRound(second, DECIMALS)];
  }

  /** Compare (key a, region ra) with (key b, region rb) as Python compares tuples. */
  function compare(a, ra, b, rb) {
    for (let i = 0; i < a.length; i++) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return ra < rb ? -1 : ra > rb ? 1 : 0;
  }

  /** A binary min-heap of [key, region] (as heapq over (key, r) tuples). */
  class Heap {
    constructor(items) {
      this.items = items;
      for (let i = (items.length >> 1) - 1; i >= 0; i--) this.down(i);
    }
    less(i, j) {
      const a = this.items[i];
      const b = this.items[j];
      return compare(a[0], a[1], b[0], b[1]) < 0;
    }
    swap(i, j) {
      const t = this.items[i];
      this.items[i] = this.items[j];
      this.items[j] = t;
    }
    down(i) {
      const n = this.items.length;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < n && this.less(l, m)) m = l;
        if (r < n && this.less(r, m)) m = r;
        if (m === i) return;
        this.swap(i, m);
        i = m;
      }
    }
    push(item) {
      this.items.push(item);
      let i = this.items.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.less(i, p)) return;
        this.swap(i, p);
        i = p;
      }
    }
    pop() {
      const top = this.items[0];
      const last = this.items.pop();
      if (this.items.length) {
        this.items[0] = last;
        this.down(0);
      }
      return top;
    }
    get size() {
      return this.items.length;
    }
  }

  /**
   * Where the greedy stands after most of its steps, without taking them one by one.
   *
   * For a threshold key L, the units whose key is below L come, in the greedy's order,
   * before every other unit (their keys are smaller), and within a region they are its
   * first units (its keys never decrease). So taking all of them at once leaves the greedy
   * exactly where it would be after that many steps. L (Sainte-Laguë: [lam]; Hamilton:
   * [-1, lam], units below the quota) is found by bisection on an estimate of the count,
   * aiming a few units per region short of `need`; each region's count is then settled by
   * comparing its real keys with L, so the estimate only affects speed, never the result.
   * Returns the start x (lower bounds when no jump is worth it).
   */
  function jumpStart(method, quota, lower, upper, need) {
    const n = quota.length;
    const target = need - 2 * n;
    if (target <= 0) return lower.slice();
    const lr = method === LARGEST_REMAINDER;
    const estimate = (r, lam) => {
      let c = Math.ceil(((lam + 2) * quota[r] - 1) / 2);
      if (lr) c = Math.min(c, Math.floor(quota[r]));
      return Math.max(lower[r], Math.min(upper[r], c));
    };
    const counted = (lam) => {
      let s = 0;
      for (let r = 0; r < n; r++) if (quota[r] > 0) s += estimate(r, lam) - lower[r];
      return s;
    };
    let lo = -3;
    let hi = 1;
    for (let r = 0; r < n; r++) if (quota[r] > 0) hi = Math.max(hi, (2 * upper[r] + 1) / quota[r]);
    if (!Number.isFinite(hi)) return lower.slice();
    for (let i = 0; i < 100 && hi - lo > 1e-12 * Math.max(1, Math.abs(hi)); i++) {
      const mid = lo + (hi - lo) / 2;
      if (counted(mid) <= target) lo = mid;
      else hi = mid;
    }
    const threshold = lr ? [-1, lo] : [lo];
    const less = (a) => {
      for (let i = 0; i < a.length; i++) if (a[i] !== threshold[i]) return a[i] < threshold[i];
      return false;
    };
    const x = new Array(n);
    let taken = 0;
    for (let r = 0; r < n; r++) {
      if (!(quota[r] > 0)) {
        x[r] = lower[r];
        continue;
      }
      let k = estimate(r, lo);
      while (k > lower[r] && !less(key(method, quota[r], k - 1))) k--;
      while (k < upper[r] && less(key(method, quota[r], k))) k++;
      x[r] = k;
      taken += k - lower[r];
    }
    return taken <= need ? x : lower.slice();
  }

  /**
   * The optimum for total T: start at the lower bounds and give each further recipient to
   * the cheapest next unit (apportion.solve_exact). quota: floats; lower/upper: ints.
   * Returns {x, heap}: the heap holds the next units, for "next in line".
   */
  function apportion(method, quota, lower, upper, total) {
    const n = quota.length;
    const upperTotal = upper.reduce((s, v) => s + v, 0);
    if (total === upperTotal) return { x: upper.slice(), heap: new Heap([]) };
    const x = jumpStart(method, quota, lower, upper, total - lower.reduce((s, v) => s + v, 0));
    let remaining = total - x.reduce((s, v) => s + v, 0);
    const items = [];
    for (let r = 0; r < n; r++) if (x[r] < upper[r]) items.push([key(method, quota[r], x[r]), r]);
    const heap = new Heap(items);
    while (remaining > 0) {
      const [, r] = heap.pop();
      x[r] += 1;
      remaining -= 1;
      if (x[r] < upper[r]) heap.push([key(method, quota[r], x[r]), r]);
    }
    return { x, heap };
  }

  /** Which bounds bind at x (the rules of apportion.active_bounds). */
  function activeBounds(method, quota, lower, upper, x) {
    const n = quota.length;
    const next = [];
    const last = [];
    for (let r = 0; r < n; r++) {
      if (x[r] < upper[r]) next.push([key(method, quota[r], x[r]), r]);
      if (x[r] > lower[r]) last.push([key(method, quota[r], x[r] - 1), r]);
    }
    const byCost = (a, b) => compare(a[0], a[1], b[0], b[1]);
    const cheapest = next.sort(byCost).slice(0, 2);
    const dearest = last.sort((a, b) => -byCost(a, b)).slice(0, 2);
    const lowerActive = new Array(n).fill(false);
    const upperActive = new Array(n).fill(false);
    for (let r = 0; r < n; r++) {
      const q = quota[r];
      if (!(q > 0)) continue;
      if (x[r] === lower[r] && x[r] > 0) {
        const other = cheapest.find((item) => item[1] !== r);
        lowerActive[r] = other !== undefined && compare(key(method, q, x[r] - 1), r, other[0], other[1]) > 0;
      }
      if (x[r] === upper[r]) {
        const other = dearest.find((item) => item[1] !== r);
        upperActive[r] = other !== undefined && compare(key(method, q, x[r]), r, other[0], other[1]) < 0;
      }
    }
    return { lowerActive, upperActive };
  }

  // ------------------------------------------------------------ the whole allocation

  /**
   * Allocate. problem = {
   *   codes: [..] (sorted), idg: [..] | null per region, poverty_rate: [..], eligible: [..] (ints),
   *   weights: {idg_gap, poverty_rate, eligible} (as typed), reference: IDG index points,
   *   budget, grant, bimtek (integer rupiah), floor_all, cap_all (int or null),
   *   floors, caps, locks: {code: recipients}, method
   * }
   * Returns {ok: true, shares, quota, lower, upper, kind, x, binding, affordable, total,
   * cost, spent, leftover, limitedBy, applied, requested, dropped, capAboveEligible, heap}
   * or {ok: false, error: {key, params}}.
   */
  function allocate(p) {
    const fail = (key, params) => ({ ok: false, error: { key, params: params || {} } });
    const codes = p.codes;
    const n = codes.length;
    const cost = p.grant + p.bimtek;
    if (n === 0) return fail("include_empty");
    if (!(p.grant > 0)) return fail("grant_not_positive", { grant: p.grant });
    if (p.budget < cost) return fail("budget_below_cost", { budget: p.budget, cost });
    if (p.reference !== null && !(p.reference >= 0 && p.reference <= 100))
      return fail("reference_range", { value: p.reference });
    const normalised = normaliseWeights(p.weights);
    if (normalised === null) return fail("weights_zero");
    const locks = p.locks || {};
    const floors = p.floors || {};
    const caps = p.caps || {};
    const capAll = p.cap_all === null || p.cap_all === undefined ? null : p.cap_all;
    const floorAll = p.floor_all || 0;
    if (capAll !== null && floorAll > capAll) return fail("floor_all_above_cap_all", { floor: floorAll, cap: capAll });
    for (const code of Object.keys(floors).sort()) {
      const cap = code in caps ? caps[code] : capAll;
      if (cap !== null && floors[code] > cap) return fail("floor_above_cap_key", { code, floor: floors[code], cap });
    }
    for (const code of Object.keys(locks).sort()) {
      if (code in floors || code in caps) return fail("lock_and_bound", { code });
    }
    const lockedTotal = Object.values(locks).reduce((s, v) => s + v, 0);
    if (lockedTotal * cost > p.budget)
      return fail("locks_above_budget", { count: lockedTotal, amount: lockedTotal * cost, budget: p.budget });
    const columns = {
      idg_gap: p.idg.map((v) => (v === null || p.reference === null ? NaN : idgGap(v, p.reference))),
      poverty_rate: p.poverty_rate.map((v) => (v === null ? NaN : v)),
      eligible: p.eligible.map((v) => (v === null ? NaN : v)),
    };
    const need = needShares(columns, p.weights, n);
    if (need.error) {
      if (need.error.key === "indicator_missing")
        need.error.params.code = codes[need.error.params.index];
      return { ok: false, error: need.error };
    }
    const shares = need.shares;
    const affordable = Math.floor(p.budget / cost);
    // bounds (engine.region_bounds)
    const lower = new Array(n);
    const upper = new Array(n);
    const kind = new Array(n);
    const capAboveEligible = [];
    for (let i = 0; i < n; i++) {
      const code = codes[i];
      const eligible = p.eligible[i];
      const isLock = code in locks;
      const floor = Math.max(floorAll, floors[code] || 0);
      const cap = code in caps ? caps[code] : capAll === null ? -1 : capAll;
      const hasCap = cap >= 0;
      if (isLock && locks[code] > eligible) return fail("lock_above_eligible", { code, lock: locks[code], eligible });
      if (!isLock && floor > eligible)
        return fail("floor_above_eligible", { code, floor, eligible, key: code in floors ? "floors" : "floor_all" });
      if (!isLock && hasCap && floor > cap) return fail("floor_above_cap", { code, floor, cap });
      if (isLock) {
        lower[i] = upper[i] = locks[code];
        kind[i] = "lock";
        continue;
      }
      if (hasCap && cap > eligible) capAboveEligible.push({ code, cap, eligible });
      const capped = hasCap && cap < eligible;
      lower[i] = floor;
      upper[i] = capped ? cap : eligible;
      kind[i] = capped ? "cap" : "eligible";
      if (shares[i] === 0) {
        upper[i] = floor;
        kind[i] = "need-zero";
      }
    }
    let floorsTotal = 0;
    let locksTotal = 0;
    for (let i = 0; i < n; i++) {
      if (kind[i] === "lock") locksTotal += lower[i];
      else floorsTotal += lower[i];
    }
    if (floorsTotal + locksTotal > affordable)
      return fail("floors_above_budget", {
        floors: floorsTotal,
        locks: locksTotal,
        amount: (floorsTotal + locksTotal) * cost,
        budget: p.budget,
        affordable,
        cost,
      });
    const upperTotal = upper.reduce((s, v) => s + v, 0);
    const total = Math.min(affordable, upperTotal);
    const quota = shares.map((s) => s * affordable);
    const { x, heap } = apportion(p.method, quota, lower, upper, total);
    const limitedBy = total < affordable ? "caps" : "budget";
    const { lowerActive, upperActive } = activeBounds(p.method, quota, lower, upper, x);
    const binding = new Array(n).fill("");
    for (let i = 0; i < n; i++) {
      if (x[i] === upper[i] && (upperActive[i] || limitedBy === "caps")) binding[i] = kind[i];
      if (lowerActive[i]) binding[i] = "floor";
      if (kind[i] === "lock" || kind[i] === "need-zero") binding[i] = kind[i];
    }
    const spent = total * cost;
    return {
      ok: true,
      shares,
      quota,
      lower,
      upper,
      kind,
      x,
      binding,
      affordable,
      total,
      cost,
      spent,
      leftover: p.budget - spent,
      limitedBy,
      applied: need.applied,
      requested: need.requested,
      dropped: need.dropped,
      capAboveEligible,
      heap,
    };
  }

  /**
   * "Next in line": the next `count` budgets (multiples of the cost above the budget) at
   * which the allocation changes, and which regions gain (or lose: Hamilton's quotas move
   * with R, so a region can lose). Each step is solved afresh, exactly as the engine would.
   */
  function nextInLine(p, result, count) {
    const steps = [];
    if (!result.ok || result.limitedBy === "caps") return steps;
    let previous = result.x;
    let budget = (result.affordable + 1) * result.cost;
    for (let s = 0; s < count; s++, budget += result.cost) {
      const next = allocate({ ...p, budget });
      if (!next.ok) break;
      const changes = [];
      for (let i = 0; i < previous.length; i++)
        if (next.x[i] !== previous[i]) changes.push({ index: i, code: p.codes[i], change: next.x[i] - previous[i] });
      steps.push({ budget, changes, capped: next.limitedBy === "caps" });
      if (next.limitedBy === "caps") break;
      previous = next.x;
    }
    return steps;
  }

  return { allocate, nextInLine, apportion, jumpStart, needShares, key, fsum, npSum, pyRound, fixed, idgGap, SAINTE_LAGUE, LARGEST_REMAINDER };
});
