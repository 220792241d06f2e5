/*
 * Rupiah amounts as planners type them: the rules of optimizer/money.py (parse_amount),
 * a second implementation for the what-if page; tests/test_page_amount.py proves both
 * read the same corpus of spellings the same way.
 *
 *   150000000   Rp 150.000.000   Rp150.000.000,00   150,000,000   150 juta   150jt
 *   1,5 miliar  1.5M (M = miliar)   2 milyar   750 ribu / 750rb   1 triliun   IDR 150.000.000
 *   750 million   1.5 billion / 1,5bn   750 thousand   2 trillion
 *
 * "." groups thousands and "," marks decimals; English grouping is read when it is
 * unambiguous; one separator followed by exactly three digits together with a unit word
 * ("1.500 juta") is ambiguous and refused. Exact arithmetic (BigInt), never floats.
 * parseAmount returns {ok: true, value} (integer rupiah, a Number: at most 10^15 < 2^53)
 * or {ok: false, error: {key, params}} with a key of the catalogue's money errors.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.WrseAmount = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  const UNITS = {
    "": 1n,
    rb: 1000n,
    ribu: 1000n,
    k: 1000n,
    jt: 1000000n,
    juta: 1000000n,
    m: 1000000000n,
    miliar: 1000000000n,
    milyar: 1000000000n,
    t: 1000000000000n,
    triliun: 1000000000000n,
    // the same words in English, for a reader of the English page ("M" stays miliar)
    thousand: 1000n,
    million: 1000000n,
    mn: 1000000n,
    billion: 1000000000n,
    bn: 1000000000n,
    trillion: 1000000000000n,
  };
  const MAX_RP = 10n ** 15n;
  const AMOUNT = /^([0-9][0-9.,]*)([a-z]*)$/;
  const GROUPED = /^[0-9]{1,3}(?:[.,][0-9]{3})+$/;

  class Refused {
    constructor(key, params) {
      this.key = key;
      this.params = params;
    }
  }

  /** A decimal number as [digits BigInt, decimals]: "12.5" -> [125n, 1]. */
  function decimal(whole, frac) {
    return [BigInt((whole || "0") + frac), frac.length];
  }

  function number(text, hasUnit, original) {
    const dots = text.split(".").length - 1;
    const commas = text.split(",").length - 1;
    if (dots && commas) {
      const mark = text.lastIndexOf(".") > text.lastIndexOf(",") ? "." : ",";
      const group = mark === "." ? "," : ".";
      const at = text.lastIndexOf(mark);
      const whole = text.slice(0, at);
      const frac = text.slice(at + 1);
      if (whole.includes(mark) || !GROUPED.test(whole.split(group).join(".")))
        throw new Refused("mixed_separators", { value: original });
      return decimal(whole.split(group).join(""), frac);
    }
    const sep = dots ? "." : commas ? "," : "";
    const count = dots || commas;
    if (!sep) return decimal(text, "");
    if (count > 1) {
      if (!GROUPED.test(text)) throw new Refused("misplaced_groups", { value: original });
      return decimal(text.split(sep).join(""), "");
    }
    const [whole, frac] = text.split(sep);
    if (!frac || !whole) throw new Refused("separator_no_digits", { value: original });
    if (frac.length === 3) {
      if (hasUnit) throw new Refused("ambiguous", { value: original, whole, sep, frac, first: frac[0] });
      return decimal(whole + frac, "");
    }
    return decimal(whole, frac);
  }

  function parseAmount(value) {
    if (typeof value === "number") {
      if (!Number.isInteger(value) || value < 0) return { ok: false, error: { key: "not_whole", params: { value } } };
      return { ok: true, value };
    }
    const original = String(value).trim().split(/\s+/).join(" ");
    let text = String(value).toLowerCase().split(/\s+/).join("");
    try {
      if (text.startsWith("-") || text.startsWith("\u2212")) throw new Refused("negative", { value: original });
      for (const prefix of ["rp.", "rp", "idr"]) {
        if (text.startsWith(prefix)) {
          text = text.slice(prefix.length);
          break;
        }
      }
      if (text.endsWith(",-")) text = text.slice(0, -2);
      const match = AMOUNT.exec(text);
      if (!match || !(match[2] in UNITS)) throw new Refused("not_a_form", { value: original });
      if (match[1].length > 40) throw new Refused("too_many_digits", { value: original });
      const unit = match[2];
      const [digits, places] = number(match[1], unit !== "", original);
      const scaled = digits * UNITS[unit];
      const divisor = 10n ** BigInt(places);
      if (scaled > MAX_RP * divisor) throw new Refused("too_large", { value: original, max: Number(MAX_RP) });
      if (scaled % divisor !== 0n) {
        const text = scaled.toString().padStart(places + 1, "0");
        const rupiah = `${text.slice(0, -places)}.${text.slice(-places)}`;
        throw new Refused("not_whole_rupiah", { value: original, rupiah });
      }
      return { ok: true, value: Number(scaled / divisor) };
    } catch (error) {
      if (error instanceof Refused) return { ok: false, error: { key: error.key, params: error.params } };
      throw error;
    }
  }

  /** Integer rupiah the Indonesian way: 1500000000 -> "Rp 1.500.000.000". */
  function formatRp(amount) {
    const sign = amount < 0 ? "-" : "";
    return `${sign}Rp ${groupDigits(Math.abs(amount), ".")}`;
  }

  /** 1234567 -> "1.234.567" (id) or "1,234,567" (en). */
  function groupDigits(count, mark) {
    const text = String(Math.trunc(count));
    const negative = text.startsWith("-");
    const digits = negative ? text.slice(1) : text;
    const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, mark);
    return (negative ? "-" : "") + grouped;
  }

  return { parseAmount, formatRp, groupDigits, MAX_RP: Number(MAX_RP) };
});
