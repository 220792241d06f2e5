"""Amounts: every form the README promises, checked against hand-written rupiah."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from optimizer.errors import InputError
from optimizer.money import AmountError, format_count, format_rp, parse_amount


@pytest.mark.parametrize(
    ("text", "rupiah"),
    [
        ("150000000", 150_000_000),
        ("Rp 150.000.000", 150_000_000),
        ("Rp150.000.000,00", 150_000_000),
        ("Rp. 150.000.000,-", 150_000_000),
        ("IDR 150,000,000", 150_000_000),
        ("150 juta", 150_000_000),
        ("150jt", 150_000_000),
        ("150 JT", 150_000_000),
        ("1,5 miliar", 1_500_000_000),
        ("1,5 milyar", 1_500_000_000),
        ("1.5M", 1_500_000_000),
        ("1,5 M", 1_500_000_000),
        ("2,25 juta", 2_250_000),
        ("750 ribu", 750_000),
        ("750rb", 750_000),
        ("1 triliun", 1_000_000_000_000),
        ("3000000", 3_000_000),
        ("1.234.567,00", 1_234_567),
        (600_000_000, 600_000_000),
    ],
)
def test_accepted_forms(text, rupiah):
    assert parse_amount(text) == rupiah


@pytest.mark.parametrize(
    "text",
    ["", "abc", "-150 juta", "150 dollar", "1,5", "1.500 juta", "1,2,3", "12.34.567", "Rp", "1.5.5M", "0,5 ribu x"],
)
def test_rejected_forms(text):
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, InputError)


def test_fractional_rupiah_is_rejected():
    with pytest.raises(AmountError, match="not a whole number of rupiah"):
        parse_amount("1,5")  # 1.5 rupiah


def test_ambiguous_thousands_with_unit_is_rejected_not_guessed():
    with pytest.raises(AmountError, match="ambiguous"):
        parse_amount("1.500 juta")


def test_format_rp():
    assert format_rp(3_000_000) == "Rp 3.000.000"
    assert format_rp(0) == "Rp 0"
    assert format_rp(-1_500) == "-Rp 1.500"
    assert format_count(1234567) == "1.234.567"
    with pytest.raises(TypeError):
        format_rp(3e6)


@given(st.integers(min_value=0, max_value=10**15))
def test_format_then_parse_round_trips(amount):
    assert parse_amount(format_rp(amount)) == amount


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["juta", "jt", "miliar", "M", "ribu", "rb"]))
def test_integer_with_unit(number, unit):
    factor = {"juta": 10**6, "jt": 10**6, "miliar": 10**9, "M": 10**9, "ribu": 10**3, "rb": 10**3}[unit]
    assert parse_amount(f"{number} {unit}") == number * factor


@given(st.text(max_size=30))
def test_any_text_either_parses_or_raises_amount_error(text):
    try:
        value = parse_amount(text)
    except AmountError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(value, int) and value >= 0


@pytest.mark.parametrize(
    ("amount", "lang", "shown"),
    [("1,5", "id", "(1,5)"), ("1,5", "en", "(1.5)"), ("Rp 150.000.000,50", "id", "(150.000.000,50)")],
)
def test_a_fraction_of_a_rupiah_is_quoted_in_the_readers_digits(amount, lang, shown):
    with pytest.raises(AmountError) as caught:
        parse_amount(amount)
    assert shown in caught.value.text(lang)


@pytest.mark.parametrize(("lang", "shown"), [("id", "'12,7'"), ("en", "'12.7'")])
def test_a_spreadsheet_number_in_an_error_is_written_the_readers_way(runner, tmp_path, lang, shown):
    from openpyxl import Workbook

    from optimizer.cli import main

    book = Workbook()
    book.active.append(["region_code", "eligible"])
    book.active.append(["6401", 12.7])
    book.save(tmp_path / "counts.xlsx")
    counts = str(tmp_path / "counts.xlsx")
    result = runner.invoke(main, ["run", "next-fiscal-year", "--eligible", counts, "--lang", lang])
    assert result.exit_code == 1 and shown in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "rupiah"),
    [
        ("750 million", 750_000_000),
        ("1.5 billion", 1_500_000_000),
        ("1,5bn", 1_500_000_000),
        ("Rp 150 mn", 150_000_000),
        ("750 thousand", 750_000),
        ("2 trillion", 2_000_000_000_000),
        ("1.5M", 1_500_000_000),  # M stays miliar, as the Indonesian forms write it
    ],
)
def test_english_amount_words(text, rupiah):
    assert parse_amount(text) == rupiah


def test_an_english_reader_is_told_that_m_is_miliar(runner):
    """'750M' is Rp 750 miliar, as Indonesian budgets write it; an English reader may mean 750 million,
    so an English session says what was read (the Indonesian one, where M is miliar, does not)."""
    from optimizer.cli import main

    english = runner.invoke(main, ["run", "next-fiscal-year", "--budget", "750M", "--lang", "en", "--format", "csv"])
    assert english.exit_code == 0
    assert "'750M' is read as Rp 750,000,000,000: M is miliar (a billion)" in english.stderr
    indonesian = runner.invoke(main, ["run", "next-fiscal-year", "--budget", "750M", "--format", "csv"])
    assert indonesian.exit_code == 0 and "750M" not in indonesian.stderr
