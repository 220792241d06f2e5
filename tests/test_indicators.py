"""Reading indicator tables: layouts, formats, region identity, year selection."""

import pytest

from optimizer.errors import InputError
from optimizer.inputs.data import load as load_data
from optimizer.inputs.data import shipped
from optimizer.inputs.validate import consistency_warnings
from optimizer.inputs.years import select as select_indicator

WIDE = """\
region_code,region_name,idg,idg_year,poverty_rate,poverty_rate_year,poor_population,poor_population_year,source
64,Kalimantan Timur,65.65,2019,6.11,2023,231.07,2023,test table
6401,Paser,66.2,2019,9.11,2023,25.1,2023,test table
6403,Kutai Kartanegara,63.74,2019,7.61,2023,60.86,2023,test table
"""


def write(tmp_path, text, name="data.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_shipped_data_has_ten_units_and_the_province(kaltim):
    assert kaltim.codes == ("6401", "6402", "6403", "6404", "6405", "6409", "6411", "6471", "6472", "6474")
    assert list(kaltim.parents) == ["64"]
    assert set(kaltim.records["status"]) <= {"published", "estimate"}
    assert kaltim.records["source"].str.len().min() > 0


def test_select_with_and_without_fallback(kaltim):
    chosen = select_indicator(kaltim, "idg", 2022, ["6401", "6402"], allow_fallback=True).frame
    assert chosen.loc["6401", "year"] == 2022 and not chosen.loc["6401", "fallback"]
    assert chosen.loc["6402", "year"] == 2020 and chosen.loc["6402", "fallback"]
    assert chosen.loc["6402", "value"] == pytest.approx(60.6)
    with pytest.raises(InputError, match="6402 Kutai Barat"):
        select_indicator(kaltim, "idg", 2022, ["6402"], allow_fallback=False)
    with pytest.raises(InputError, match="in 2018 or earlier"):
        select_indicator(kaltim, "idg", 2018, ["6402"], allow_fallback=True)


def test_wide_layout(tmp_path):
    data = load_data(write(tmp_path, WIDE))
    assert data.codes == ("6401", "6403") and list(data.parents) == ["64"]
    chosen = select_indicator(data, "poverty_rate", 2023, ["6403"], False).frame
    assert chosen.loc["6403", "value"] == pytest.approx(7.61)
    assert chosen.loc["6403", "source"] == "test table"


def test_semicolon_decimal_comma_cp1252(tmp_path):
    text = WIDE.replace(",", ";").replace("65.65", "65,65").replace("7.61", "7,61").replace("Paser", "Pasér")
    data = load_data(write(tmp_path, text, encoding="cp1252"))
    assert select_indicator(data, "poverty_rate", 2023, ["6403"], False).frame.loc["6403", "value"] == 7.61
    assert select_indicator(data, "idg", 2019, ["64"], False).frame.loc["64", "value"] == 65.65


def test_names_and_aliases_without_codes(tmp_path):
    text = "region_name,idg,year,source\nKAB. KUTAI KARTANEGARA,63.74,2019,x\nKukar Timur,1,2019,x\n"
    with pytest.raises(InputError, match=r"row 3.*'Kukar Timur' is not a known"):
        load_data(write(tmp_path, text))
    text = "region_name,idg,year,source\nKAB. KUTAI KARTANEGARA,63.74,2019,x\nKutim,56.35,2019,x\n"
    assert load_data(write(tmp_path, text)).codes == ("6403", "6404")


def test_kemendagri_dotted_code_is_translated_with_notice(tmp_path):
    text = "region_code,region_name,idg,year,source\n64.02,Kutai Kartanegara,63.74,2019,x\n"
    data = load_data(write(tmp_path, text))
    assert data.codes == ("6403",)
    assert data.notices[0].key == "kemendagri_translated"


def test_code_that_contradicts_its_name_is_an_error(tmp_path):
    # 6402 is Kutai Barat in BPS coding, Kutai Kartanegara in Kemendagri coding.
    text = "region_code,region_name,idg,year,source\n6402,Kutai Kartanegara,63.74,2019,x\n"
    with pytest.raises(InputError) as info:
        load_data(write(tmp_path, text))
    message = str(info.value)
    assert "row 2" in message and "Kutai Barat" in message and "Kemendagri" in message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("abc", "'abc' is not usable"), ("120", "between 0 and 100"), ("-1", "between 0 and 100"), ("1.2.3", "1.2.3")],
)
def test_bad_values_name_file_row_column(tmp_path, cell, expected):
    text = WIDE.replace("63.74", cell)
    with pytest.raises(InputError) as info:
        load_data(write(tmp_path, text))
    message = str(info.value)
    assert "data.csv" in message and "row 4" in message and "'idg'" in message and expected in message


def test_duplicate_figure_is_an_error(tmp_path):
    text = "region_code,indicator,year,value,source\n6401,idg,2019,66.2,x\n6401,idg,2019,66.3,x\n"
    with pytest.raises(InputError, match=r"row 3.*first on row 2"):
        load_data(write(tmp_path, text))


def test_xlsx_with_title_row(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Data indikator WRSE"])
    sheet.merge_cells("A1:D1")
    sheet.append(["region_code", "indicator", "year", "value", "source"])
    sheet.append([6401, "idg", 2019, 66.2, "x"])
    sheet.append(["6403", "poverty_rate", "2023", "7,61", "x"])
    path = tmp_path / "data.xlsx"
    book.save(path)
    data = load_data(path)
    assert data.codes == ("6401", "6403")
    assert select_indicator(data, "poverty_rate", 2023, ["6403"], False).frame.loc["6403", "value"] == 7.61


def test_an_empty_cell_is_a_gap_reported_when_selected(tmp_path):
    data = load_data(write(tmp_path, WIDE.replace("63.74", "")))
    with pytest.raises(InputError, match="no 2019 figure for 6403"):
        select_indicator(data, "idg", 2019, ["6401", "6403"], allow_fallback=False)


@pytest.mark.parametrize("fallback", [False, True])
def test_a_region_with_no_figure_at_all_says_so_in_the_readers_language(tmp_path, fallback):
    data = load_data(write(tmp_path, WIDE.replace("63.74", "")))
    with pytest.raises(InputError) as caught:
        select_indicator(data, "idg", 2019, ["6401", "6403"], allow_fallback=fallback)
    assert "(tahun tersedia: tidak ada)" in caught.value.text("id")
    assert "(years available: none)" in caught.value.text("en")
    # without the fallback the error says how to allow one; with it, that none is earlier
    assert ("allow_fallback = true" in caught.value.text("id")) is not fallback
    assert ("atau sebelumnya" in caught.value.text("id")) is fallback


def test_consistency_warnings():
    # The shipped data: only Mahakam Ulu 2024 (poor population / P0 is 70 % of its population) is flagged.
    warnings = consistency_warnings(shipped())
    assert len(warnings) == 1 and warnings[0].startswith("6411 Mahakam Ulu 2024")


def test_consistency_warning_flags_a_typo(tmp_path):
    text = WIDE.replace("population_year,source", "population_year,population,population_year,source")
    text = text.replace("test table\n", "PLACEHOLDER\n")
    rows = text.splitlines()
    rows = [rows[0]] + [
        r.replace("PLACEHOLDER", p)
        for r, p in zip(rows[1:], ["4030488,2023,t", "303424,2023,t", "788113,2023,t"], strict=True)
    ]
    good = load_data(write(tmp_path, "\n".join(rows) + "\n"))
    assert consistency_warnings(good) == []
    bad = load_data(write(tmp_path, "\n".join(rows).replace("60.86", "608.6") + "\n", name="bad.csv"))
    (warning,) = consistency_warnings(bad)
    assert warning.startswith("6403 Kutai Kartanegara 2023")


def test_utf16_csv_and_loose_headers(tmp_path):
    text = WIDE.replace("idg_year", "IDG Year").replace("poverty_rate,", "Poverty Rate,", 1)
    path = tmp_path / "u16.csv"
    path.write_bytes(text.encode("utf-16"))
    data = load_data(path)
    assert select_indicator(data, "poverty_rate", 2023, ["6403"], False).frame.loc["6403", "value"] == 7.61
    assert select_indicator(data, "idg", 2019, ["6403"], False).frame.loc["6403", "year"] == 2019


def test_title_rows_above_a_csv_header_are_skipped(tmp_path):
    data = load_data(write(tmp_path, "Data indikator WRSE 2027\n\n" + WIDE))
    assert data.codes == ("6401", "6403")


def test_a_nik_in_a_source_cell_is_masked(tmp_path):
    data = load_data(write(tmp_path, WIDE.replace("test table", "laporan 6472015501900007")))
    assert set(data.records["source"]) == {"laporan 647201********07"}
