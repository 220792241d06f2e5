/*
 * The what-if page: reads the planner's choices, solves with WrseSolver (solver.js),
 * and draws the table (as wrse run prints it), the changes, bars, tile map and "next in
 * line". Every text comes from the message catalogue embedded in the page (#wrse-data).
 */
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("wrse-data").textContent);
  const S = D.scenario;
  const Solver = window.WrseSolver;
  const Amount = window.WrseAmount;
  const WEIGHTS = ["idg_gap", "poverty_rate", "eligible"];
  const METHODS = ["sainte-lague", "largest-remainder"];
  const $ = (id) => document.getElementById(id);
  const REGION = new Map(D.regions.map((r) => [r.code, r]));
  // the eligible figure's names ({column, weight, remark} message keys): a proxy's own (payload.py
  // eligible_keys, optimizer.eligible.eligible_key); a proxy has no coverage column (output.allocation_columns)
  const ELIGIBLE = D.data.eligible_keys;
  const weightKey = (k) => (k === "eligible" ? ELIGIBLE.weight : `weight.${k}`);
  const bindingKey = (k) => (k === "eligible" ? ELIGIBLE.binding : `binding.${k || "none"}`);
  let lang = D.lang;
  // a scenario's title in the page's language (the scenario file's [en] title), else its one title
  const titleOf = (s) => (s.titles && s.titles[lang]) || s.title;
  // the scenario's description and assumptions in the page's language, else the ones it was built with
  const descriptionOf = (s) => (s.descriptions && s.descriptions[lang]) || s.description;
  const assumptionsOf = (s) => (s.assumptions_by_lang && s.assumptions_by_lang[lang]) || s.assumptions;
  // the scenario's title as a heading: with another budget or method than the scenario's, the title
  // made from the numbers used (its title may quote its own budget), as wrse run and the report's
  // subtitle (optimizer.report.phrases.scenario_heading, message report.subtitle_overridden)
  const headingOf = (s, p, r) =>
    p && r && (p.budget !== s.budget_rp || p.method !== s.method)
      ? t("report.subtitle_overridden", {
          name: titleOf(s).split(":")[0].trim(),
          budget: rp(p.budget),
          allocated: count(r.total),
          method: t(`report.method_name.${p.method}`),
        })
      : titleOf(s);
  // the scenario's description; with another budget or method than the scenario's, followed by the
  // sentence that its numbers do not hold for the page's choices (as the report's assumptions intro)
  const describedOf = (s, p) =>
    p && (p.budget !== s.budget_rp || p.method !== s.method)
      ? `${descriptionOf(s)} ${t("page.description_overridden", {
          budget: rp(s.budget_rp),
          method: t(`report.method_name.${s.method}`),
        })}`
      : descriptionOf(s);
  let state;
  let last = null; // {problem, result, rows}
  let pinned = null;

  // Kalimantan Timur on a grid of tiles, roughly where each kabupaten/kota lies (column, row).
  const TILES = {
    6405: [2, 0], // Berau
    6411: [0, 1], // Mahakam Ulu
    6404: [2, 1], // Kutai Timur
    6402: [0, 2], // Kutai Barat
    6403: [1, 2], // Kutai Kartanegara
    6474: [2, 2], // Bontang
    6472: [2, 3], // Samarinda
    6409: [1, 4], // Penajam Paser Utara
    6471: [2, 4], // Balikpapan
    6401: [1, 5], // Paser
  };

  // ------------------------------------------------------------ texts and numbers

  function pyRepr(text) {
    const s = String(text);
    const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
    const body = s.replace(/\\/g, "\\\\").replace(new RegExp(quote, "g"), `\\${quote}`);
    return quote + body + quote;
  }

  function t(key, params) {
    const template = D.messages[lang][key];
    if (template === undefined) return key;
    return template.replace(/\{(\w+)(!r)?\}/g, (_, name, repr) => {
      const value = params && name in params ? params[name] : `{${name}}`;
      return repr ? pyRepr(value) : String(value);
    });
  }

  function group(text, mark) {
    return text.replace(/\B(?=(\d{3})+(?!\d))/g, mark);
  }

  /** output.decimal: f"{v:,.{places}f}" with the Indonesian decimal comma for id. */
  function decimal(value, places) {
    if (value === null || Number.isNaN(value)) return "";
    const text = Solver.fixed(value, places);
    const negative = text.startsWith("-");
    const [whole, frac] = (negative ? text.slice(1) : text).split(".");
    const sep = lang === "id" ? [".", ","] : [",", "."];
    return (negative ? "-" : "") + group(whole, sep[0]) + (frac !== undefined ? sep[1] + frac : "");
  }
  /** The IDG reference in its input: every digit kept, with the page's decimal mark (65,65 in Indonesian). */
  const referenceText = (value) => (value === null || Number.isNaN(value) ? "" : String(value).replace(".", lang === "id" ? "," : "."));
  const percent = (fraction, places) => (fraction === null || Number.isNaN(fraction) ? "" : `${decimal(100 * fraction, places)}%`);
  const count = (n) => Amount.groupDigits(n, lang === "id" ? "." : ",");
  const rp = (n) => (lang === "id" ? Amount.formatRp(n) : Amount.formatRp(n).replace(/\./g, ","));
  const signed = (n) => (n > 0 ? `+${count(n)}` : n < 0 ? `\u2212${count(-n)}` : "0");
  const esc = (s) =>
    String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const mark = (figure) => (figure && figure.status === "estimate" ? "*" : "") + (figure && figure.fallback ? "\u2020" : "");

  // ------------------------------------------------------------ state

  function initialState() {
    const included = new Set(S.include || D.regions.filter((r) => r.available).map((r) => r.code));
    const bounds = {};
    for (const r of D.regions)
      bounds[r.code] = {
        floor: r.code in S.floors ? String(S.floors[r.code]) : "",
        cap: r.code in S.caps ? String(S.caps[r.code]) : "",
        lock: r.code in S.locks ? String(S.locks[r.code]) : "",
      };
    return {
      budget: rp(S.budget_rp),
      grant: rp(S.grant_rp),
      bimtek: rp(S.bimtek_per_recipient_rp),
      weights: { ...S.weights },
      // weight boxes holding what cannot be a weight ({key: text as typed}): the page refuses it, naming the box
      weightErrors: {},
      reference: null, // null: the provincial IDG of the data (or the scenario's number)
      referenceTyped: "", // the reference box's text as typed (kept while it is not a number)
      method: S.method,
      floorAll: String(S.floor_all),
      capAll: S.cap_all === null ? "" : String(S.cap_all),
      included,
      bounds,
      // the scenario's own baseline (scenario.baseline) when it names one, else the first shipped one
      baseline: D.baselines.length ? String(Math.max(0, D.baselines.findIndex((b) => b.name === S.baseline))) : "",
      mapBy: "recipients",
    };
  }

  function referenceValue() {
    if (state.reference !== null) return state.reference;
    return S.idg_reference !== null ? S.idg_reference : D.reference.value;
  }

  function weightPercents() {
    const total = WEIGHTS.reduce((s, k) => s + (state.weights[k] || 0), 0);
    const out = {};
    for (const k of WEIGHTS) out[k] = total > 0 ? (100 * (state.weights[k] || 0)) / total : 0;
    return out;
  }

  /** Move weight `key` to `value` % and share the rest among the other two in their proportion. */
  function setWeight(key, value) {
    const v = Math.min(100, Math.max(0, value));
    const current = weightPercents();
    const others = WEIGHTS.filter((k) => k !== key);
    const rest = Math.round((100 - v) * 1e6) / 1e6;
    const before = current[others[0]] + current[others[1]];
    let first = before > 0 ? (rest * current[others[0]]) / before : rest / 2;
    first = Number.isInteger(v) ? Math.round(first) : Math.round(first * 10) / 10;
    const second = Math.round((rest - first) * 1e6) / 1e6;
    state.weights = { [key]: v, [others[0]]: first, [others[1]]: second };
  }

  // ------------------------------------------------------------ reading the choices

  function readAmount(field, text) {
    const parsed = Amount.parseAmount(text);
    if (parsed.ok) return parsed;
    const message = amountSentence(parsed.error);
    return { ok: false, message: t("page.error.amount", { field: t(`page.${field}`), message }) };
  }

  /** A count box (`field`: its label as on the page, e.g. "Min Paser"): {ok, value} (null when empty) or {ok: false, message}. */
  function readCount(text, field) {
    const s = String(text).trim();
    if (s === "") return { ok: true, value: null };
    if (/^-[0-9]+$/.test(s)) return { ok: false, message: t("page.error.count_negative", { field, value: s }) };
    if (!/^[0-9]+$/.test(s) || Number(s) > 1e9) return { ok: false, message: t("page.error.count", { field, value: s }) };
    return { ok: true, value: Number(s) };
  }

  // the label of a region's box as the page shows it (the bounds table's column and row: "Min Paser")
  const boxLabel = (kind, code) => `${t(`page.${kind}`)} ${REGION.get(code).name}`;
  // a label in the middle of a sentence ("batas atas setiap wilayah")
  const inSentence = (label) => label.charAt(0).toLowerCase() + label.slice(1);

  /** A weight box's text read as a percentage: {ok, value} or {ok: false, key} (the page.error.weight_* key). */
  /** A weight in its box, to one decimal, with the decimal mark of the page's language (32,5 / 32.5). */
  function weightText(percent) {
    return String(Math.round(percent * 10) / 10).replace(".", lang === "id" ? "," : ".");
  }

  // A weight box is a text box: a number box let the browser drop a typed decimal comma (2,5 became 25)
  function readWeight(text) {
    const s = String(text).trim();
    if (s === "") return { ok: false, key: "weight_empty" };
    const v = Number(s.replace(",", "."));
    if (!Number.isFinite(v)) return { ok: false, key: "weight_number" };
    if (v < 0) return { ok: false, key: "weight_negative" };
    if (v > 100) return { ok: false, key: "weight_above" };
    return { ok: true, value: v };
  }

  /** The sentence for weight box `k` holding `text`: its label as on the page, the value, what is expected. */
  function weightSentence(k, text) {
    const read = readWeight(text);
    return t(`page.error.${read.key}`, { field: t("page.weight_field", { weight: t(weightKey(k)) }), value: String(text).trim() });
  }

  /** The problem for the solver from the current choices, or {messages} when some choice cannot be read. */
  function problem() {
    const messages = [];
    const budget = readAmount("budget", state.budget);
    const grant = readAmount("grant", state.grant);
    const bimtek = readAmount("bimtek", state.bimtek);
    for (const a of [budget, grant, bimtek]) if (!a.ok) messages.push(a.message);
    for (const k of WEIGHTS) if (k in state.weightErrors) messages.push(weightSentence(k, state.weightErrors[k]));
    const regions = D.regions.filter((r) => r.available && state.included.has(r.code));
    const floors = {};
    const caps = {};
    const locks = {};
    for (const r of regions) {
      const b = state.bounds[r.code];
      for (const [text, kind, into] of [
        [b.floor, "floor", floors],
        [b.cap, "cap", caps],
        [b.lock, "lock", locks],
      ]) {
        const c = readCount(text, boxLabel(kind, r.code));
        if (!c.ok) messages.push(c.message);
        else if (c.value !== null) into[r.code] = c.value;
      }
    }
    const floorAll = readCount(state.floorAll || "0", t("page.floor_all"));
    const capAll = readCount(state.capAll, t("page.cap_all"));
    for (const c of [floorAll, capAll]) if (!c.ok) messages.push(c.message);
    const reference = referenceValue();
    if (reference === null || Number.isNaN(reference))
      messages.push(
        t("page.error.reference_number", { field: t("page.reference"), value: String($("reference").value).trim(), provincial: t("page.reference_use_provincial") }),
      );
    if (messages.length) return { messages };
    const figure = (r, k) => (r[k] && r[k].value !== null && r[k].value !== undefined ? r[k].value : null);
    return {
      regions,
      p: {
        codes: regions.map((r) => r.code),
        idg: regions.map((r) => figure(r, "idg")),
        poverty_rate: regions.map((r) => figure(r, "poverty_rate")),
        eligible: regions.map((r) => figure(r, "eligible")),
        weights: { ...state.weights },
        reference,
        budget: budget.value,
        grant: grant.value,
        bimtek: bimtek.value,
        floor_all: floorAll.value || 0,
        cap_all: capAll.value,
        floors,
        caps,
        locks,
        method: state.method,
      },
    };
  }

  /**
   * The page's sentence for an error of the solver: the field the planner typed in (its label as the page
   * shows it), the value and what is expected, in the page's language (page.error.*), never the scenario
   * file's keys (the CLI's sentences, error.* of the catalogues, name those: the page's planner typed none).
   * Each entry: the fields of the page's template from the solver's error params.
   */
  const FIELD_ERRORS = {
    include_empty: () => ({ field: t("page.include") }),
    grant_not_positive: (p) => ({ field: t("page.grant"), grant: rp(p.grant) }),
    reference_range: (p) => ({ field: t("page.reference"), value: referenceText(p.value) }),
    weights_zero: () => ({ field: t("page.weights") }),
    floor_all_above_cap_all: (p) => ({ field: t("page.floor_all"), floor: count(p.floor), cap_field: inSentence(t("page.cap_all")), cap: count(p.cap) }),
    floor_above_cap_key: (p) => ({ field: boxLabel("floor", p.code), floor: count(p.floor), cap: count(p.cap) }),
    lock_and_bound: (p) => ({ field: boxLabel("lock", p.code) }),
    // the lock boxes filled in ("Kunci Paser, Kunci Berau"): together they are above the budget
    locks_above_budget: (p, problem) => ({
      field: Object.keys(problem.locks).sort().map((code) => boxLabel("lock", code)).join(", ") || t("page.lock"),
      count: count(p.count), amount: rp(p.amount), budget: rp(p.budget) }),
    lock_above_eligible: (p) => ({ field: boxLabel("lock", p.code), lock: count(p.lock), eligible: count(p.eligible), source: p.source }),
    floor_above_eligible: (p) => ({
      field: p.key === "floors" ? boxLabel("floor", p.code) : t("page.floor_all"),
      floor: count(p.floor),
      name: REGION.get(p.code).name,
      eligible: count(p.eligible),
      source: p.source,
    }),
    floor_above_cap: (p) => ({ field: boxLabel("cap", p.code), cap: count(p.cap), floor_field: inSentence(t("page.floor_all")), floor: count(p.floor) }),
    floors_above_budget: (p) => ({
      field: t("page.budget"),
      floors: count(p.floors),
      locks: count(p.locks),
      amount: rp(p.amount),
      budget: rp(p.budget),
      affordable: count(p.affordable),
      cost: rp(p.cost),
    }),
  };
  const AMOUNT_ERRORS = {
    negative: "error.money.amount_negative_positive_amount",
    not_a_form: "error.money.amount_form_tool_reads",
    too_many_digits: "error.money.amount_too_many_digits",
    mixed_separators: "error.money.amount_mixes_separators_oddly",
    misplaced_groups: "error.money.amount_thousands_separators_wrong",
    separator_no_digits: "error.money.amount_separator_digits_after",
    ambiguous: "error.money.amount_ambiguous_could_decimal",
    too_large: "error.money.amount_more_than_far",
    not_whole_rupiah: "error.money.amount_whole_number_rupiah",
  };

  /** The catalogue's template `key` filled from `params`, or null when it is missing or needs a field the page lacks. */
  function fromCatalogue(key, params) {
    const template = D.messages[lang][key];
    if (template === undefined) return null;
    const fields = [...template.matchAll(/\{(\w+)(?:![rs])?\}/g)].map((m) => m[1]);
    return fields.every((f) => f in params) ? t(key, params) : null;
  }

  function errorSentence(error, regions, problem) {
    const params = { ...error.params };
    if (error.key === "lock_above_eligible" || error.key === "floor_above_eligible") {
      const region = regions.find((r) => r.code === params.code);
      params.source = region ? (lang === "id" && region.eligible.source_id) || region.eligible.source : "";
    }
    // the budget is what the planner typed in the budget field (the CLI names --budget), not a file's key
    if (error.key === "budget_below_cost")
      return t("page.error.budget_field_below_cost", { field: t("page.budget"), budget: rp(params.budget), cost: rp(params.cost) });
    if (error.key in FIELD_ERRORS) return t(`page.error.${error.key}`, FIELD_ERRORS[error.key](params, problem));
    return t(`page.error.${error.key}`, params); // indicators_zero, indicator_missing: about the data, no field
  }

  /** The sentence for an amount the page cannot read (as --budget gives it). */
  function amountSentence(error) {
    const p = error.params;
    const expected = D.messages[lang]["error.expected.amount"] !== undefined ? t("error.expected.amount") : t("page.amount.expected");
    const fields = { original: p.value, value: p.value, expected, whole: p.whole, sep: p.sep, frac: p.frac, frac2: p.first, rupiah: p.rupiah, max_rp_rp: rp(Amount.MAX_RP) };
    const sentence = AMOUNT_ERRORS[error.key] ? fromCatalogue(AMOUNT_ERRORS[error.key], fields) : null;
    return sentence !== null ? sentence : t(`page.amount.${error.key}`, { ...p, expected: t("page.amount.expected") });
  }

  // ------------------------------------------------------------ drawing

  function baselineRecipients() {
    if (state.baseline === "pinned" && pinned) return pinned.recipients;
    if (state.baseline !== "" && D.baselines[Number(state.baseline)]) return D.baselines[Number(state.baseline)].recipients;
    return null;
  }

  function baselineLabel() {
    if (state.baseline === "pinned" && pinned) return t("page.baseline_pinned", { budget: rp(pinned.budget) });
    const b = D.baselines[Number(state.baseline)];
    return state.baseline !== "" && b ? t("page.baseline_option", { title: titleOf(b), budget: rp(b.budget_rp) }) : t("page.baseline_none");
  }

  /** The table rows of wrse run (output.allocation_table), one per unit of the data set. */
  function tableRows(regions, p, r) {
    const position = new Map(regions.map((reg, i) => [reg.code, i]));
    const rows = [];
    for (const reg of D.regions) {
      const i = position.has(reg.code) ? position.get(reg.code) : -1;
      if (i < 0) {
        rows.push({ code: reg.code, included: false, x: 0, cells: [reg.code, reg.name, "", "", "", "", "", "", "", "", "0", rp(0), "", t("binding.excluded")] });
        continue;
      }
      const idg = reg.idg || {};
      const pov = reg.poverty_rate || {};
      const elig = reg.eligible;
      const gap = idg.value === null || idg.value === undefined ? NaN : Solver.idgGap(idg.value, p.reference);
      const coverage = elig.value > 0 ? (100 * r.x[i]) / elig.value : NaN;
      rows.push({
        code: reg.code,
        included: true,
        index: i,
        x: r.x[i],
        cells: [
          reg.code,
          reg.name,
          idg.year ? `${decimal(idg.value, 2)} (${idg.year})${mark(idg)}` : "",
          decimal(gap, 2),
          pov.year ? `${decimal(pov.value, 2)} (${pov.year})${mark(pov)}` : "",
          count(elig.value) + (elig.year ? ` (${elig.year})` : "") + mark(elig),
          percent(r.shares[i], 2),
          decimal(r.quota[i], 2),
          count(r.lower[i]),
          count(r.upper[i]),
          count(r.x[i]),
          rp(r.x[i] * r.cost),
          Number.isNaN(coverage) ? "" : percent(coverage / 100, 2),
          t(bindingKey(r.binding[i])),
        ],
      });
    }
    const eligibleTotal = regions.reduce((s, reg) => s + reg.eligible.value, 0);
    const total = [
      "",
      t("run.total"),
      "",
      "",
      "",
      count(eligibleTotal),
      percent(Solver.npSum(r.shares), 2),
      decimal(Solver.npSum(r.quota), 2),
      count(r.lower.reduce((s, v) => s + v, 0)),
      "",
      count(r.total),
      rp(r.spent),
      "",
      "",
    ];
    const shown = (cells) => cells.filter((_, i) => SHOWN[i]);
    return { rows: rows.map((row) => ({ ...row, cells: shown(row.cells) })), total: shown(total) };
  }

  const ALL_COLUMNS = ["region_code", "region_name", "idg", "idg_gap", "poverty_rate", "eligible", "need_share", "quota", "lower", "upper", "recipients", "cost_rp", "coverage_pct", "binding"];
  const SHOWN = ALL_COLUMNS.map((c) => !(ELIGIBLE.proxy && c === "coverage_pct"));
  const COLUMNS = ALL_COLUMNS.filter((_, i) => SHOWN[i]);
  const NUMERIC = COLUMNS.map((c) => c !== "region_code" && c !== "region_name" && c !== "binding");
  const headingKey = (c) => (c === "eligible" ? ELIGIBLE.column : `column.${c}`);

  function sourceIndex() {
    const list = [];
    const index = new Map();
    const add = (text) => {
      if (!text) return "";
      if (!index.has(text)) {
        list.push(text);
        index.set(text, list.length);
      }
      return index.get(text);
    };
    return { list, add };
  }

  function drawTable(regions, p, r) {
    const { rows, total } = tableRows(regions, p, r);
    const shipped = D.shipped.recipients;
    const base = baselineRecipients();
    const sources = sourceIndex();
    // A column whose figures all come from one source names it in its heading; else each cell does.
    const sourceOf = {
      [COLUMNS.indexOf("idg")]: (reg) => reg.idg && reg.idg.source,
      [COLUMNS.indexOf("poverty_rate")]: (reg) => reg.poverty_rate && reg.poverty_rate.source,
      [COLUMNS.indexOf("eligible")]: (reg) => (lang === "id" ? reg.eligible.source_id : reg.eligible.source),
    };
    const common = {};
    for (const column of Object.keys(sourceOf)) {
      const found = new Set(regions.map(sourceOf[column]).filter(Boolean));
      if (found.size === 1) common[column] = sources.add([...found][0]);
    }
    const ref = (n) => (n ? `<sup title="${esc(t("page.source_ref"))} ${n}">${n}</sup>` : "");
    const head = COLUMNS.map((c, i) => `<th class="${NUMERIC[i] ? "num" : ""}" scope="col">${esc(t(headingKey(c)))}${ref(common[i])}</th>`).join("");
    let html = `<table class="alloc" id="alloc"><thead><tr>${head}<th class="num" scope="col">${esc(t("page.change_shipped"))}</th><th class="num" scope="col">${esc(t("page.change_baseline"))}</th></tr></thead><tbody>`;
    for (const row of rows) {
      const reg = REGION.get(row.code);
      const refs = {};
      if (row.included) for (const column of Object.keys(sourceOf)) if (!(column in common)) refs[column] = sources.add(sourceOf[column](reg));
      const cells = row.cells.map((cell, i) => `<td class="${NUMERIC[i] ? "num" : ""}" data-col="${COLUMNS[i]}">${esc(cell)}${ref(refs[i])}</td>`).join("");
      const dShipped = row.x - (shipped[row.code] || 0);
      const dBase = base ? row.x - (base[row.code] || 0) : null;
      html += `<tr data-code="${row.code}" class="${row.included ? "" : "excluded"}">${cells}<td class="num change" data-col="change_shipped">${signed(dShipped)}</td><td class="num change" data-col="change_baseline">${dBase === null ? "" : signed(dBase)}</td></tr>`;
    }
    const totalCells = total.map((cell, i) => `<td class="${NUMERIC[i] ? "num" : ""}" data-col="${COLUMNS[i]}">${esc(cell)}</td>`).join("");
    const shippedTotal = Object.values(shipped).reduce((s, v) => s + v, 0);
    const baseTotal = base ? Object.values(base).reduce((s, v) => s + v, 0) : null;
    html += `</tbody><tfoot><tr>${totalCells}<td class="num">${signed(r.total - shippedTotal)}</td><td class="num">${baseTotal === null ? "" : signed(r.total - baseTotal)}</td></tr></tfoot></table>`;
    html += `<p class="small">${esc(t("run.estimate_mark"))} · ${esc(t("page.change_shipped_note", { name: titleOf(S).split(":")[0].trim(), budget: rp(D.shipped.budget_rp), baseline: baselineLabel() }))}</p>`;
    $("table-wrap").innerHTML = html;
    const referenceSource = D.reference.source && state.reference === null && S.idg_reference === null ? sources.add(D.reference.source) : null;
    $("sources").innerHTML = sources.list.map((s) => `<li>${linkify(s)}</li>`).join("");
    return { rows, referenceSource };
  }

  // a source's URLs as links whose text may break only after / . - ? (a <wbr> there; page.css .sources)
  function linkify(text) {
    return esc(text).replace(/(https?:\/\/[^\s;),]+)/g, (url) => `<a href="${url}">${url.replace(/([/.\-?])/g, "$1<wbr>")}</a>`);
  }

  function drawSummary(p, r, referenceSource) {
    const weights = WEIGHTS.map((k) => `${t(weightKey(k))} ${percent(r.applied[k], 1)}`).join(" · ");
    const refSource =
      state.reference !== null
        ? t("page.reference_typed")
        : S.idg_reference === null && D.reference.year
          ? t("run.reference_provincial", { year: D.reference.year })
          : t("run.reference_scenario");
    const lines = [
      `${t("run.scenario")}: ${headingOf(S, p, r)} (${S.name}) · ${t("run.fiscal_year")} ${S.fiscal_year}`,
      `${t("run.budget")}: ${rp(p.budget)} · ${t("run.cost", { cost: rp(r.cost), grant: rp(p.grant), bimtek: rp(p.bimtek) })}`,
      `${t("grant.label")}: ${p.grant === S.grant_rp ? S.grant_line[lang] : t("grant.own", { grant: rp(p.grant), source: editedGrantSource() })}`,
      `${t("run.recipients")}: ${t("run.recipients_line", { affordable: count(r.affordable), allocated: count(r.total), leftover: rp(r.leftover), limited_by: t(`limited_by.${r.limitedBy}`) })}`,
      `${t("run.method")}: ${t(`method.${p.method}`)}`,
      `${t("run.weights")}: ${weights} · ${t("run.reference", { value: decimal(p.reference, 2), source: refSource })}`,
    ].map(esc);
    if (referenceSource) lines[5] += ` <sup>${referenceSource}</sup>`;
    $("summary").innerHTML = lines.map((l) => `<p>${l}</p>`).join("");
  }

  function drawNotes(p, r, regions) {
    const notes = [];
    const marked = regions.some((reg) => [reg.idg, reg.poverty_rate, reg.eligible].some((f) => f && (f.status === "estimate" || f.fallback)));
    if (marked) notes.push(t("run.estimate_mark"));
    if (p.method === "largest-remainder") notes.push(t("run.alabama"));
    for (const n of D.notices) notes.push(n[lang]);
    for (const d of r.dropped) notes.push(t("notice.weight_dropped", { indicator: t(weightKey(d.indicator)), weight: `${Solver.fixed(d.weight * 100, 0)}%` }));
    for (const c of r.capAboveEligible) {
      const counts = { code: c.code, cap: count(c.cap), eligible: count(c.eligible), pool: t(ELIGIBLE.pool) };
      notes.push(t("notice.cap_above_eligible", counts));
    }
    if (r.limitedBy === "caps") notes.push(t("notice.caps_limit_total", { allocated: count(r.total), leftover: rp(r.leftover) }));
    $("notes").innerHTML = notes.map((n) => `<li>${esc(n)}</li>`).join("");
  }

  function drawNext(p, r, regions) {
    const steps = Solver.nextInLine(p, r, 3);
    if (!steps.length || (steps[0].capped && steps[0].changes.length === 0)) {
      $("next").innerHTML = `<li>${esc(t("page.next_none"))}</li>`;
      return;
    }
    $("next").innerHTML = steps
      .map((s) => {
        const changes = s.changes.length
          ? s.changes.map((c) => `${c.change > 0 ? "+" : "\u2212"}${Math.abs(c.change)} ${regions[c.index].name}`).join(", ")
          : "\u2014";
        return `<li>${esc(t("page.next_step", { budget: rp(s.budget), changes }))}${s.capped ? ` ${esc(t("page.next_capped"))}` : ""}</li>`;
      })
      .join("");
  }

  function drawBars(regions, r) {
    const max = Math.max(1e-12, ...r.shares, ...r.x.map((v) => (r.total ? v / r.total : 0)));
    const rows = regions.map((reg, i) => {
      const need = r.shares[i];
      const got = r.total ? r.x[i] / r.total : 0;
      return `<div class="bar-row"><span class="bar-name">${esc(reg.name)}</span><span class="bar-track"><span class="bar need" style="width:${(100 * need) / max}%"></span><span class="bar got" style="width:${(100 * got) / max}%"></span></span><span class="bar-value">${percent(need, 1)} / ${percent(got, 1)}</span></div>`;
    });
    $("bars").innerHTML = `<div class="legend"><span class="key need"></span>${esc(t("page.bar_need"))} <span class="key got"></span>${esc(t("page.bar_recipients"))}</div>${rows.join("")}`;
  }

  function drawMap(rows) {
    const base = baselineRecipients();
    const byChange = state.mapBy === "change" && base;
    const values = rows.map((row) => (byChange ? row.x - (base[row.code] || 0) : row.x));
    const extent = Math.max(1, ...values.map(Math.abs));
    const known = rows.every((row) => row.code in TILES);
    const columns = known ? 3 : Math.ceil(Math.sqrt(rows.length));
    const tiles = rows.map((row, i) => {
      const [c, rr] = known ? TILES[row.code] : [i % columns, Math.floor(i / columns)];
      const v = values[i];
      let colour;
      if (!row.included) colour = "#eeeeee";
      else if (byChange) colour = v === 0 ? "#f4f4f4" : v > 0 ? `rgba(33, 102, 172, ${0.15 + (0.85 * v) / extent})` : `rgba(178, 24, 43, ${0.15 + (0.85 * -v) / extent})`;
      else colour = `rgba(8, 81, 156, ${0.08 + (0.92 * v) / extent})`;
      const dark = row.included && Math.abs(v) / extent > 0.55;
      const name = REGION.get(row.code).name;
      return `<div class="tile${dark ? " dark" : ""}" data-code="${row.code}" style="grid-column:${c + 1};grid-row:${rr + 1};background:${colour}"><span class="tile-name">${esc(name)}</span><span class="tile-value">${row.included ? (byChange ? signed(v) : count(v)) : "\u2014"}</span></div>`;
    });
    $("map").style.gridTemplateColumns = `repeat(${columns}, 1fr)`;
    $("map").innerHTML = tiles.join("");
    $("map-scale").textContent = byChange
      ? t("page.map_scale_change", { low: signed(-extent), high: signed(extent) })
      : t("page.map_scale", { high: count(extent) });
  }

  function showProblem(messages) {
    $("problem").hidden = false;
    $("problem").innerHTML = `<strong>${esc(t("page.infeasible"))}:</strong><ul>${messages.map((m) => `<li>${esc(m)}</li>`).join("")}</ul>`;
    $("table-wrap").innerHTML = "";
    document.querySelector(".panels").hidden = true;
    $("summary").innerHTML = "";
    $("notes").innerHTML = "";
    $("sources").innerHTML = "";
    $("next").innerHTML = "";
    $("bars").innerHTML = "";
    $("map").innerHTML = "";
  }

  function drawReads(p, r) {
    for (const field of ["budget", "grant", "bimtek"]) {
      const parsed = Amount.parseAmount(state[field]);
      $(`${field}-read`).textContent = parsed.ok ? t("page.amount_read", { amount: rp(parsed.value) }) : "";
      $(field).setAttribute("aria-invalid", parsed.ok ? "false" : "true");
    }
    for (const k of WEIGHTS) $(`wt-${k}`).setAttribute("aria-invalid", k in state.weightErrors ? "true" : "false");
    $("cost-read").textContent = p && r && r.ok ? t("page.cost_line", { cost: rp(r.cost), affordable: count(r.affordable) }) : "";
    $("reference-read").textContent =
      D.reference.value !== null && S.idg_reference === null ? t("page.reference_provincial", { year: D.reference.year, value: decimal(D.reference.value, 2) }) : "";
  }

  // ------------------------------------------------------------ recompute

  function recompute() {
    const started = performance.now();
    const built = problem();
    $("problem").hidden = true;
    document.querySelector(".panels").hidden = false;
    if (built.messages) {
      last = null;
      drawReads(null, null);
      showProblem(built.messages);
    } else {
      const result = Solver.allocate(built.p);
      drawReads(built.p, result);
      if (!result.ok) {
        last = null;
        showProblem([errorSentence(result.error, built.regions, built.p)]);
      } else {
        const { rows, referenceSource } = drawTable(built.regions, built.p, result);
        drawSummary(built.p, result, referenceSource);
        drawNotes(built.p, result, built.regions);
        drawNext(built.p, result, built.regions);
        drawBars(built.regions, result);
        drawMap(rows);
        last = { problem: built.p, result, regions: built.regions, rows };
      }
    }
    drawHeading();
    drawResultActions();
    drawBoundsState();
    const ms = performance.now() - started;
    window.wrseLastRecomputeMs = ms;
    $("timing").textContent = t("page.recomputed", { ms: decimal(ms, 1) });
  }

  /**
   * The heading and description for the result shown; with no result (the choices cannot be
   * computed) the scenario's name marked as without a result, never the last result's numbers.
   */
  function drawHeading() {
    if (last) {
      $("scenario-title").textContent = headingOf(S, last.problem, last.result);
      $("scenario-description").textContent = describedOf(S, last.problem);
    } else {
      $("scenario-title").textContent = `${titleOf(S).split(":")[0].trim()} \u2014 ${t("page.no_result")}`;
      $("scenario-description").textContent = `${descriptionOf(S)} ${t("page.description_overridden", {
        budget: rp(S.budget_rp),
        method: t(`report.method_name.${S.method}`),
      })}`;
    }
    // the window's title (tab, taskbar, a saved or printed page's name) in step with the heading and its language
    document.title = `${t("page.title")} · ${$("scenario-title").textContent}`;
    // "Catatan" and "Sumber data" only above a list that has items (none while there is no result)
    $("notes-heading").hidden = !$("notes").children.length;
    $("sources-heading").hidden = !$("sources").children.length;
  }

  /** Saving, downloading and pinning need a result: disabled, with the reason shown, while there is none. */
  function drawResultActions() {
    for (const id of ["save-toml", "save-csv", "pin"]) $(id).disabled = !last;
    $("result-actions-reason").hidden = !!last;
    $("result-actions-reason").textContent = t("page.save_disabled");
  }

  // ------------------------------------------------------------ controls

  function drawControls() {
    $("budget").value = state.budget;
    $("grant").value = state.grant;
    $("bimtek").value = state.bimtek;
    $("budget").placeholder = t("page.budget_hint");
    const percents = weightPercents();
    for (const k of WEIGHTS) {
      $(`w-${k}`).value = String(Math.round(percents[k]));
      $(`wt-${k}`).value = k in state.weightErrors ? state.weightErrors[k] : weightText(percents[k]);
    }
    $("reference").value = Number.isNaN(state.reference) ? state.referenceTyped : referenceText(referenceValue());
    for (const input of document.querySelectorAll('input[name="method"]')) input.checked = input.value === state.method;
    $("floor-all").value = state.floorAll;
    $("cap-all").value = state.capAll;
    $("cap-all").placeholder = t("page.none");
    drawBoundsTable();
    drawBaselineOptions();
    $("map-by").innerHTML = ["recipients", "change"].map((k) => `<option value="${k}"${state.mapBy === k ? " selected" : ""}>${esc(t(`page.map_${k}`))}</option>`).join("");
  }

  function drawBoundsTable() {
    const head = `<thead><tr><th></th><th>${esc(t("page.include"))}</th><th>${esc(t("page.floor"))}</th><th>${esc(t("page.cap"))}</th><th>${esc(t("page.lock"))}</th></tr></thead>`;
    const body = D.regions
      .map((r) => {
        const b = state.bounds[r.code];
        const disabled = r.available ? "" : " disabled";
        const title = r.available ? "" : ` title="${esc(t("page.unavailable"))}"`;
        return `<tr data-code="${r.code}"${title}><th scope="row">${esc(r.name)}</th><td><input type="checkbox" data-include="${r.code}" aria-label="${esc(t("page.include"))} ${esc(r.name)}"${state.included.has(r.code) ? " checked" : ""}${disabled}></td>${["floor", "cap", "lock"]
          .map((k) => `<td><input type="text" inputmode="numeric" data-bound="${k}" data-code="${r.code}" value="${esc(b[k])}" aria-label="${esc(t(`page.${k}`))} ${esc(r.name)}"${disabled}></td>`)
          .join("")}</tr>`;
      })
      .join("");
    $("bounds").innerHTML = head + `<tbody>${body}</tbody>`;
  }

  function drawBoundsState() {
    for (const input of document.querySelectorAll("[data-bound]")) {
      const code = input.dataset.code;
      input.disabled = !state.included.has(code) || !REGION.get(code).available;
    }
  }

  function drawBaselineOptions() {
    const options = [`<option value="">${esc(t("page.baseline_none"))}</option>`];
    D.baselines.forEach((b, i) => options.push(`<option value="${i}">${esc(t("page.baseline_option", { title: titleOf(b), budget: rp(b.budget_rp) }))}</option>`));
    if (pinned) options.push(`<option value="pinned">${esc(t("page.baseline_pinned", { budget: rp(pinned.budget) }))}</option>`);
    $("baseline").innerHTML = options.join("");
    $("baseline").value = state.baseline;
  }

  function drawStaticTexts() {
    document.documentElement.lang = lang;
    for (const el of document.querySelectorAll("[data-msg]")) el.textContent = t(el.dataset.msg);
    // what a screen reader says switches with what is shown
    for (const el of document.querySelectorAll("[data-aria-msg]")) {
      el.setAttribute("aria-label", t(el.dataset.ariaMsg) + (el.dataset.ariaSuffix || ""));
    }
    $("lang-toggle").textContent = t("page.other_language");
    $("lang-toggle").lang = t("page.other_language_code");
    drawHeading();
    $("scenario-assumptions").innerHTML = assumptionsOf(S).map((a) => `<li>${esc(a)}</li>`).join("");
    const command = [`wrse run ${S.name}-simulasi.toml`];
    if (D.data.file) command.push(`--data ${D.data.file}`);
    $("run-command").textContent = t("page.run_command", { command: command.join(" ") });
    $("printed").textContent = t("page.printed", { version: D.tool.version, data: D.data.shipped ? t("page.data_shipped") : D.data.label });
  }

  function bind() {
    // a printed page carries the scenario's assumptions, folded or not on screen
    window.addEventListener("beforeprint", () => ($("scenario-about").open = true));
    const on = (id, event, handler) => $(id).addEventListener(event, handler);
    for (const field of ["budget", "grant", "bimtek"])
      on(field, "input", (e) => {
        state[field] = e.target.value;
        recompute();
      });
    for (const k of WEIGHTS) {
      on(`w-${k}`, "input", (e) => {
        state.weightErrors = {}; // every box is rewritten from the sliders
        setWeight(k, Number(e.target.value));
        syncWeights(k, "range");
        recompute();
      });
      on(`wt-${k}`, "change", (e) => {
        // a weight the box cannot hold (negative, above 100, empty) is refused with its box named, not
        // clamped or read as 0: the box keeps what was typed and no result is shown
        const read = readWeight(e.target.value);
        if (!read.ok) state.weightErrors = { ...state.weightErrors, [k]: e.target.value };
        else {
          state.weightErrors = {}; // the other boxes are rewritten from the new weights
          setWeight(k, read.value);
          syncWeights(k, "text");
        }
        recompute();
      });
    }
    on("reference", "input", (e) => {
      state.referenceTyped = e.target.value;
      const text = String(e.target.value).trim().replace(",", ".");
      state.reference = text === "" ? NaN : Number(text);
      recompute();
    });
    on("reference-reset", "click", () => {
      state.reference = null;
      $("reference").value = referenceText(referenceValue());
      recompute();
    });
    for (const input of document.querySelectorAll('input[name="method"]'))
      input.addEventListener("change", (e) => {
        state.method = e.target.value;
        recompute();
      });
    on("floor-all", "input", (e) => {
      state.floorAll = e.target.value;
      recompute();
    });
    on("cap-all", "input", (e) => {
      state.capAll = e.target.value;
      recompute();
    });
    on("bounds", "input", (e) => {
      const el = e.target;
      if (el.dataset.include) {
        if (el.checked) state.included.add(el.dataset.include);
        else state.included.delete(el.dataset.include);
      } else if (el.dataset.bound) state.bounds[el.dataset.code][el.dataset.bound] = el.value;
      recompute();
    });
    on("baseline", "change", (e) => {
      state.baseline = e.target.value;
      recompute();
    });
    on("pin", "click", () => {
      if (!last) return;
      const recipients = {};
      for (const row of last.rows) recipients[row.code] = row.x;
      pinned = { budget: last.problem.budget, recipients };
      state.baseline = "pinned";
      drawBaselineOptions();
      recompute();
    });
    on("map-by", "change", (e) => {
      state.mapBy = e.target.value;
      recompute();
    });
    on("lang-toggle", "click", () => {
      lang = lang === "id" ? "en" : "id";
      reformatAmounts();
      drawStaticTexts();
      drawControls();
      recompute();
    });
    on("reset", "click", () => {
      state = initialState();
      drawControls();
      recompute();
    });
    on("save-toml", "click", () => {
      const text = window.WrsePage.toml();
      if (text !== null) download(`${S.name}-simulasi.toml`, text, "application/toml");
    });
    on("save-csv", "click", () => {
      const text = window.WrsePage.csv();
      if (text !== null) download(`${S.name}-simulasi.csv`, text, "text/csv;charset=utf-8");
    });
    on("print", "click", () => window.print());
  }

  /**
   * The amount fields in the page's language after the language switch: "Rp 600.000.000" in Indonesian,
   * "Rp 600,000,000" in English, as the table writes rupiah (the same amount: both spellings read back the
   * same); a field the page cannot read is left as typed, so its error still quotes what was typed.
   */
  function reformatAmounts() {
    for (const field of ["budget", "grant", "bimtek"]) {
      const parsed = Amount.parseAmount(state[field]);
      if (parsed.ok) state[field] = rp(parsed.value);
    }
  }

  function syncWeights(changed, from) {
    const percents = weightPercents();
    for (const k of WEIGHTS) {
      if (!(k === changed && from === "range")) $(`w-${k}`).value = String(Math.round(percents[k]));
      if (!(k === changed && from === "text")) $(`wt-${k}`).value = weightText(percents[k]);
    }
  }

  function download(name, text, type) {
    const blob = new Blob([text], { type });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => {
      URL.revokeObjectURL(a.href);
      a.remove();
    }, 0);
  }

  // ------------------------------------------------------------ saving

  const tomlString = (s) => JSON.stringify(String(s)).replace(/\u007f/g, "\\u007F");
  const tomlNumber = (v) => String(v);

  function tomlTable(name, mapping) {
    const keys = Object.keys(mapping).sort();
    return keys.length ? `\n[${name}]\n${keys.map((k) => `${tomlString(k)} = ${mapping[k]}`).join("\n")}\n` : "";
  }

  function changes(p) {
    const out = [];
    const ship = weightPercentsOf(S.weights);
    const now = weightPercentsOf(p.weights);
    const w = (x) => WEIGHTS.map((k) => decimal(x[k], 1)).join("/");
    if (p.budget !== S.budget_rp) out.push(t("page.change_budget", { old: rp(S.budget_rp), new: rp(p.budget) }));
    if (p.grant !== S.grant_rp) out.push(t("page.change_grant", { old: rp(S.grant_rp), new: rp(p.grant) }));
    if (p.bimtek !== S.bimtek_per_recipient_rp) out.push(t("page.change_bimtek", { old: rp(S.bimtek_per_recipient_rp), new: rp(p.bimtek) }));
    if (WEIGHTS.some((k) => Math.abs(ship[k] - now[k]) > 1e-9)) out.push(t("page.change_weights", { old: w(ship), new: w(now) }));
    if (state.reference !== null) out.push(t("page.change_reference", { old: decimal(S.idg_reference !== null ? S.idg_reference : D.reference.value, 2), new: decimal(p.reference, 2) }));
    if (p.method !== S.method) out.push(t("page.change_method", { old: t(`method.${S.method}`), new: t(`method.${p.method}`) }));
    const before = (S.include || D.regions.map((r) => r.code)).slice().sort().join(",");
    if (p.codes.join(",") !== before) out.push(t("page.change_include", { codes: p.codes.join(", ") }));
    if ((p.floor_all || 0) !== S.floor_all) out.push(t("page.change_floor_all", { old: S.floor_all, new: p.floor_all }));
    if (p.cap_all !== S.cap_all) out.push(t("page.change_cap_all", { old: S.cap_all === null ? t("page.none") : S.cap_all, new: p.cap_all === null ? t("page.none") : p.cap_all }));
    const listing = (m) => Object.keys(m).sort().map((c) => `${c}=${m[c]}`).join(", ") || t("page.none");
    const same = (a, b) => listing(a) === listing(b);
    if (!same(p.floors, S.floors) || !same(p.caps, S.caps) || !same(p.locks, S.locks))
      out.push(t("page.change_bounds", { floors: listing(p.floors), caps: listing(p.caps), locks: listing(p.locks) }));
    return out;
  }

  /** `make()` with the page's texts and numbers in language `code` (the saved scenario's Indonesian and [en] texts). */
  function inLanguage(code, make) {
    const shown = lang;
    lang = code;
    try {
      return make();
    } finally {
      lang = shown;
    }
  }

  function weightPercentsOf(weights) {
    const total = WEIGHTS.reduce((s, k) => s + (weights[k] || 0), 0);
    const out = {};
    for (const k of WEIGHTS) out[k] = total > 0 ? (100 * (weights[k] || 0)) / total : 0;
    return out;
  }

  /** The edited scenario as TOML that wrse run reproduces exactly; null when the choices cannot be read. */
  function toml() {
    const built = problem();
    if (built.messages) return null;
    const p = built.p;
    const allCodes = D.regions.map((r) => r.code);
    const everyRegion = p.codes.length === allCodes.length;
    const needsFallback = S.allow_fallback || built.regions.some((r) => [r.idg, r.poverty_rate, r.eligible].some((f) => f && f.fallback));
    const e = S.eligible;
    const solved = Solver.allocate(p);
    const texts = (code) =>
      inLanguage(code, () => {
        const list = changes(p);
        const listing = (m) => Object.keys(m).sort().map((c) => `${c}=${m[c]}`).join(", ") || t("page.none");
        const name = titleOf(S).split(":")[0].trim();
        return {
          title: solved.ok
            ? t("page.saved_title", { name, allocated: count(solved.total), cost: rp(solved.cost), regions: count(p.codes.length), budget: rp(p.budget) })
            : t("page.saved_title_unsolved", { name }),
          description: t("page.saved_description", { name: S.name }),
          assumptions: [
            list.length ? t("page.saved_changes", { name: S.name, changes: list.join("; ") }) : t("page.saved_unchanged", { name: S.name }),
            t("page.saved_constraints", {
              floor_all: count(p.floor_all || 0),
              cap_all: p.cap_all === null ? t("page.none") : count(p.cap_all),
              floors: listing(p.floors),
              caps: listing(p.caps),
              locks: listing(p.locks),
            }),
          ],
        };
      });
    const own = texts("id");
    const english = texts("en");
    const lines = [
      `# ${t("page.saved_description", { name: S.name })}`,
      `# ${t("page.run_command", { command: `wrse run ${S.name}-simulasi.toml${D.data.file ? ` --data ${D.data.file}` : ""}` })}`,
      "",
      "[scenario]",
      `name = ${tomlString(`${S.name}-simulasi`)}`,
      `title = ${tomlString(own.title)}`,
      `fiscal_year = ${S.fiscal_year}`,
      `budget = ${p.budget}`,
      `method = ${tomlString(p.method)}`,
      `description = ${tomlString(own.description)}`,
      `assumptions = [${own.assumptions.map(tomlString).join(", ")}]`,
      "",
      "[costs]",
      ...grantLines(p),
      `bimtek_per_recipient_rp = ${p.bimtek}`,
      "",
      "[regions]",
      `include = ${everyRegion && S.include === null ? '"all"' : `[${p.codes.map(tomlString).join(", ")}]`}`,
      "",
      "[indicators]",
      `idg_year = ${S.idg_year}`,
      `poverty_year = ${S.poverty_year}`,
      `allow_fallback = ${needsFallback ? "true" : "false"}`,
      `idg_reference = ${state.reference === null ? (S.idg_reference === null ? '"provincial"' : tomlNumber(S.idg_reference)) : tomlNumber(p.reference)}`,
      "",
      "[eligible]",
    ];
    if (D.data.eligible_file) lines.push('source = "file"', `file = ${tomlString(D.data.eligible_file)}`);
    else {
      lines.push(`source = ${tomlString(e.source)}`);
      if (e.source === "proxy") lines.push(`proxy = ${tomlString(e.proxy)}`);
      if (e.year !== null) lines.push(`year = ${e.year}`);
      if (e.population_year !== null) lines.push(`population_year = ${e.population_year}`);
      if (e.source === "file" && e.file) lines.push(`file = ${tomlString(e.file)}`);
    }
    lines.push("", "[weights]", ...WEIGHTS.map((k) => `${k} = ${tomlNumber(p.weights[k] || 0)}`), "", "[constraints]", `floor_all = ${p.floor_all || 0}`);
    if (p.cap_all !== null) lines.push(`cap_all = ${p.cap_all}`);
    const en = ["", "[en.scenario]", `title = ${tomlString(english.title)}`, `description = ${tomlString(english.description)}`, `assumptions = [${english.assumptions.map(tomlString).join(", ")}]`];
    return `${lines.join("\n")}\n${tomlTable("constraints.floors", p.floors)}${tomlTable("constraints.caps", p.caps)}${tomlTable("constraints.locks", p.locks)}${en.join("\n")}\n`;
  }

  /** Where an edited grant comes from, as the saved scenario says it (costs.grant_source). */
  function editedGrantSource() {
    return t("page.grant_source_edited", { name: S.name, old: rp(S.grant_rp) });
  }

  /** The [costs] grant keys: as the scenario had them while the grant is unchanged, else the page's amount. */
  function grantLines(p) {
    if (p.grant !== S.grant_rp) return [`grant_rp = ${p.grant}`, `grant_source = ${tomlString(editedGrantSource())}`];
    if (S.grant_rule === "chosen_year") return [`grant_year = ${S.grant_year}`];
    if (S.grant_rule === "in_force") return [];
    return [`grant_rp = ${p.grant}`, `grant_source = ${tomlString(S.grant_source)}`];
  }

  // The CSV for Indonesian Excel: the cells of `wrse run --format csv-excel` (optimizer/render/csv.py)
  // and the two change columns: ";" between cells, decimal comma, no thousands separators, UTF-8 BOM, CRLF.
  const csvCell = (v) => {
    let s = String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(s) && s !== "-") s = `'${s}`; // text only, never a number
    return /[;"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };

  // Two decimals, a percentage as the number of percent under a heading "… (%)" (render/csv.py _excel_number).
  const excelDecimal = (v) => (v === null || v === undefined || Number.isNaN(v) ? "" : Solver.fixed(v, 2).replace(".", ","));
  const excelPercent = (v) => (v === null || v === undefined || Number.isNaN(v) ? "" : Solver.fixed(100 * v, 2).replace(".", ","));
  const excelYear = (y) => (y ? String(y) : "");

  /** The Keterangan cell of a region: its estimated (*) and earlier-year (†) figures (output.py remark). */
  const REMARK_FIGURES = [["idg", "column.remark_idg"], ["poverty_rate", "column.remark_poverty"], ["eligible", ELIGIBLE.remark]];
  function remark(reg) {
    const estimates = REMARK_FIGURES.filter(([f]) => reg[f] && reg[f].status === "estimate").map(([, k]) => t(k));
    const earlier = REMARK_FIGURES.filter(([f]) => reg[f] && reg[f].fallback).map(([, k]) => t(k));
    const parts = estimates.length ? [t("column.remark_estimate", { figures: estimates.join(", ") })] : [];
    if (earlier.length) parts.push(t("column.remark_fallback", { figures: earlier.join(", ") }));
    return parts.join("; ");
  }

  /** The table as CSV for Indonesian Excel (as wrse run --format csv-excel, with the changes). */
  function csv() {
    if (!last) return null;
    const { problem: p, result: r } = last;
    const base = baselineRecipients();
    // a proxy's column has no coverage beside it: its cells (index 15 of each row) are left out
    const keep = (cells) => (ELIGIBLE.proxy ? cells.filter((_, i) => i !== 15) : cells);
    const header = keep([
      "column.region_code", "column.region_name", "column.idg", "table.idg_year", "column.idg_gap", "column.poverty_rate",
      "table.poverty_year", ELIGIBLE.column, ELIGIBLE.year, "column.need_share", "column.quota", "column.lower",
      "column.upper", "column.recipients", "column.cost_rp", "column.coverage_pct", "column.binding", "column.remark",
      "page.change_shipped", "page.change_baseline",
    ]).map((k) => (k === "column.need_share" || k === "column.coverage_pct") && !t(k).includes("%") ? `${t(k)} (%)` : t(k));
    const lines = [header.map(csvCell).join(";")];
    const position = new Map(p.codes.map((c, i) => [c, i]));
    for (const reg of D.regions) {
      const i = position.has(reg.code) ? position.get(reg.code) : -1;
      const shipped = D.shipped.recipients[reg.code] || 0;
      const x = i < 0 ? 0 : r.x[i];
      const changes = [x - shipped, base ? x - (base[reg.code] || 0) : ""];
      if (i < 0) {
        lines.push(keep([reg.code, reg.name, "", "", "", "", "", "", "", "", "", "", "", 0, 0, "", t("binding.excluded"), "", ...changes]).map(csvCell).join(";"));
        continue;
      }
      const idg = reg.idg || {};
      const pov = reg.poverty_rate || {};
      const e = reg.eligible.value;
      const gap = idg.value === null || idg.value === undefined ? NaN : Solver.idgGap(idg.value, p.reference);
      lines.push(
        keep([
          reg.code, reg.name,
          idg.year ? excelDecimal(idg.value) : "", excelYear(idg.year), excelDecimal(gap),
          pov.year ? excelDecimal(pov.value) : "", excelYear(pov.year),
          e, excelYear(reg.eligible.year),
          excelPercent(r.shares[i]), excelDecimal(r.quota[i]), r.lower[i], r.upper[i], x, x * r.cost,
          e > 0 ? excelPercent((100 * x) / e / 100) : "", t(bindingKey(r.binding[i])), remark(reg),
          ...changes,
        ]).map(csvCell).join(";"),
      );
    }
    const shippedTotal = Object.values(D.shipped.recipients).reduce((a, b) => a + b, 0);
    const baseTotal = base ? Object.values(base).reduce((a, b) => a + b, 0) : null;
    lines.push(
      keep(["", t("run.total"), "", "", "", "", "", p.eligible.reduce((a, b) => a + b, 0), "", excelPercent(Solver.npSum(r.shares)),
        excelDecimal(Solver.npSum(r.quota)), r.lower.reduce((a, b) => a + b, 0), "", r.total, r.spent, "", "", "",
        r.total - shippedTotal, baseTotal === null ? "" : r.total - baseTotal]).map(csvCell).join(";"),
    );
    return `\ufeff${lines.join("\r\n")}\r\n`;
  }

  /** Cells of the table as shown (for tests and the benchmark): [[code, cells…]]. */
  function cells() {
    return last ? last.rows.map((row) => row.cells) : null;
  }

  function setLanguage(code) {
    lang = code;
    reformatAmounts();
    drawStaticTexts();
    drawControls();
    recompute();
  }

  state = initialState();
  drawStaticTexts();
  drawControls();
  bind();
  recompute();
  window.WrsePage = { toml, csv, cells, recompute, setLanguage, state: () => state, result: () => last, problem };
})();
