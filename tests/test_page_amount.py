"""The page reads a typed amount exactly as ``--budget`` does (optimizer/page/amount.js vs
optimizer/money.py): the same rupiah for every accepted spelling, and a refusal for the
same reason for every refused one, under Node and in Chromium."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
import rendering
from page_helpers import JS_TESTS, PAGE_DIR, node, run_node_tests, write_json

from optimizer.cli.common import AMOUNT
from optimizer.money import AmountError

# Which refusal a money.py message is (the page's amount.js names them by these keys).
REASONS = (
    ("negative", r"is negative"),
    ("too_many_digits", r"has too many digits"),
    ("mixed_separators", r"mixes separators oddly"),
    ("misplaced_groups", r"thousands separators in the wrong places"),
    ("separator_no_digits", r"separator with no digits after it"),
    ("ambiguous", r"is ambiguous"),
    ("too_large", r"far beyond any budget"),
    ("not_whole_rupiah", r"not a whole number of rupiah"),
    ("not_a_form", r"not in a form the tool reads|is not a number"),
)

NAMED = [
    "750 juta",
    "1,5 miliar",
    "Rp 600.000.000",
    "Rp 600.000.000,00",
    "150jt",
    "150 JT",
    "1.5M",
    "2 milyar",
    "750 ribu",
    "750rb",
    "1 triliun",
    "IDR 150.000.000",
    "Rp150.000.000,-",
    "150,000,000",
    "1,500.50",
    "150000000",
    "Rp. 3.000.000",
    "  rp  1 . 500 . 000  ",
    "1,234 miliar",
    "1.500 juta",
    "1.500",
    "1,5",
    "1.234.567,89",
    "1,234,567.00",
    "1.234,5",
    "0",
    "Rp 0",
    "",
    "   ",
    "-150 juta",
    "−5 juta",
    "juta",
    "Rp",
    "1..5 juta",
    "1,,000",
    "1.2.3",
    "12.34.567",
    "1,5 jt",
    "0,5 jt",
    "0,0005 jt",
    "1,0000005 juta",
    "3e6",
    "1000 triliun",
    "1001 triliun",
    "1.000.000.000.000.000",
    "1.000.000.000.000.001",
    "9" * 41,
    "1 000 000",
    "100 k",
    "5K",
    "2 T",
    "2t",
    "1,5 mil",
    "seratus juta",
    "Rp 1.500.000.000",
    "1.500.000.000",
    "1,5miliar",
    "1.5 miliar",
    "1.50 miliar",
    "1,50 miliar",
    "1.5.0 miliar",
    "12,5",
    "12,50",
    "Rp 3.000.000,5",
    "1,000.000,5",
    "1.000,000.5",
    "1,000,000.5",
    ".5 juta",
    ",5 juta",
    "5. juta",
    "5, juta",
    "1.2345 juta",
    "4,5 juta",
    "5 juta,-",
    "150.000.000,-",
    "IDR150jt",
    "rp.600.000.000",
    "RP 600 JUTA",
    "600juta ",
    "٣ juta",
    "１５０ juta",
    "150\u00a0juta",
    "150\tjuta",
    "150\njuta",
]


def _generated(rng: np.random.Generator) -> list[str]:
    """Seeded spellings: numbers with dots and commas in and out of place, units, prefixes."""
    units = ["", " juta", "jt", " miliar", " M", "rb", " ribu", " triliun", "k"]
    units += [" million", " billion", "bn", " thousand"]  # the English words
    prefixes = ["", "Rp ", "Rp", "rp. ", "IDR "]
    out = []
    for _ in range(1500):
        whole = str(int(rng.integers(0, 10 ** int(rng.integers(1, 13)))))
        style = int(rng.integers(0, 6))
        if style == 0:  # Indonesian grouping
            body = f"{int(whole):,}".replace(",", ".")
        elif style == 1:  # English grouping
            body = f"{int(whole):,}"
        elif style == 2:  # decimals
            body = (
                whole
                + rng.choice([",", "."])
                + str(int(rng.integers(0, 10 ** int(rng.integers(1, 5))))).zfill(int(rng.integers(1, 4)))
            )
        elif style == 3:  # grouped with decimals
            grouped = f"{int(whole):,}"
            body = grouped.replace(",", ".") + "," + str(int(rng.integers(0, 100))).zfill(2)
        elif style == 4:  # a separator in a random place
            at = int(rng.integers(0, len(whole) + 1))
            body = whole[:at] + rng.choice([".", ","]) + whole[at:]
        else:
            body = whole
        out.append(rng.choice(prefixes) + body + rng.choice(units))
    return out


def _reason(error: Exception) -> str:
    text = str(error.__cause__ or error)  # the amount reader's error, in English (str of a WrseError)
    for key, pattern in REASONS:
        if re.search(pattern, text):
            return key
    return f"unknown: {text}"


def _budget_reading(text: str) -> dict:
    """What ``--budget TEXT`` makes of ``text`` (the Click type of the option, i.e. parse_amount)."""
    import click

    try:
        return {"text": text, "value": AMOUNT.convert(text, None, None), "error": None}
    except click.BadParameter as error:
        return {"text": text, "value": None, "error": _reason(error)}
    except AmountError as error:  # pragma: no cover - the Click type wraps it
        return {"text": text, "value": None, "error": _reason(error)}


@pytest.fixture(scope="module")
def spellings():
    rng = np.random.default_rng(14)
    texts = list(
        dict.fromkeys(
            [
                *NAMED,
                *_generated(rng),
                *(a + b for a, b in itertools.product(["1", "12"], [",5", ".5", ",500", ".500"])),
            ]
        )
    )
    return [_budget_reading(t) for t in texts]


def test_corpus_has_both_kinds(spellings):
    accepted = [s for s in spellings if s["value"] is not None]
    refused = [s for s in spellings if s["value"] is None]
    assert len(accepted) >= 500 and len(refused) >= 300
    assert not [s for s in refused if s["error"].startswith("unknown")]
    reasons = {s["error"] for s in refused}
    assert reasons >= {"ambiguous", "mixed_separators", "misplaced_groups", "negative", "not_a_form", "too_large"}
    by_text = {s["text"]: s for s in spellings}
    assert by_text["1,5 miliar"]["value"] == 1_500_000_000
    assert by_text["150jt"]["value"] == 150_000_000
    assert by_text["Rp 600.000.000,00"]["value"] == 600_000_000
    assert by_text["1,234 miliar"]["error"] == "ambiguous"


def test_node_reads_amounts_as_budget_does(spellings, tmp_path):
    if node() is None:
        pytest.skip(rendering.missing_reason("node", "Debian package nodejs"))
    path = write_json(tmp_path / "amounts.json", spellings)
    done = run_node_tests({"WRSE_AMOUNTS": str(path)}, JS_TESTS / "amount.test.js")
    assert done.returncode == 0, done.stdout[-3000:]
    found = re.search(r"amounts: (\d+) spellings, (\d+) refused, (\d+) mismatches", done.stdout)
    assert found and int(found.group(1)) == len(spellings) and found.group(3) == "0", done.stdout[-2000:]


@pytest.mark.browser
def test_chromium_reads_amounts_as_budget_does(spellings, browser_page):
    page = browser_page
    page.set_content("<!DOCTYPE html><html><body></body></html>")
    page.add_script_tag(content=(PAGE_DIR / "amount.js").read_text(encoding="utf-8"))
    got = page.evaluate("(texts) => texts.map((t) => WrseAmount.parseAmount(t))", [s["text"] for s in spellings])
    wrong = []
    for want, result in zip(spellings, got, strict=True):
        if want["value"] is not None and not (result["ok"] and result["value"] == want["value"]):
            wrong.append((want, result))
        if want["value"] is None and (result["ok"] or result["error"]["key"] != want["error"]):
            wrong.append((want, result))
    assert wrong == []
