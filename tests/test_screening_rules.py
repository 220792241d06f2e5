"""Screening decisions checked by hand on a small list, duplicates, ranking, counts."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic_candidates import HEADERS, Spec, birth_for_age, make_nik, random_list, row, write_csv, write_xlsx

from optimizer.errors import InputError
from optimizer.screening import duplicates, ranking
from optimizer.screening.screen import screen

AS_OF = dt.date(2027, 1, 1)

# One synthetic candidate per line, checked by hand against SK 40.9/33/DS.V/2023 on 01-01-2027.
# (NIK, Tanggal Lahir, Kabupaten/Kota, changed cells) -> (region, eligible, group, rank, reasons, warnings).
# NIK digits 7-12 are the birth date with day + 40 for women; digits 1-4 are Kemendagri codes
# (64.02 = Kutai Kartanegara = BPS 6403; 64.07 = Kutai Barat = BPS 6402; 64.72 = Samarinda = BPS 6472).
HAND = [
    # row 2: eligible, no business -> priority; her NIK is repeated on row 16 (counted here: home region)
    (("6402015503850001", "15-03-1985", "Kukar", {}), ("6403", True, 1, 1, "", "duplicate_group")),
    # row 3: has a business -> group 2
    (
        ("6402014207900002", "1990-07-02", "KAB. KUTAI KARTANEGARA", {"Memiliki Usaha": "ya"}),
        ("6403", True, 2, 3, "", ""),
    ),
    # row 4: turned 18 on 31-12-2026
    (("6472037112080003", "31/12/2008", "Kota Samarinda", {}), ("6472", True, 1, 1, "", "")),
    # row 5: 18 only on 02-01-2027
    (("6472034201090004", "02-01-2009", "Samarinda", {}), ("6472", False, None, None, "age_under_18", "")),
    # row 6: 60 on the reference date itself
    (("6472014101670005", "01-01-1967", "samarinda", {}), ("6472", False, None, None, "age_over_59", "")),
    # row 7: 59 until 02-01-2027; "belum" (not yet) has a business -> priority
    (("6472014201670006", "2 Januari 1967", "Samarinda", {"Memiliki Usaha": "belum"}), ("6472", True, 1, 2, "", "")),
    # row 8: day 15 without +40: a man's NIK
    (("6402011503850007", "15-03-1985", "Kukar", {}), ("6403", False, None, None, "nik_not_female", "")),
    # row 9: NIK says 1986, the list says 1985
    (("6402015503860008", "15-03-1985", "Kukar", {}), ("6403", False, None, None, "nik_birth_date_mismatch", "")),
    # row 10: 15 digits
    (("640201550385009", "15-03-1985", "Kukar", {}), ("6403", False, None, None, "nik_format", "")),
    # row 11: DTKS "t" (tidak) and PKH "Y"
    (
        ("6402015704880010", "17-04-1988", "Kukar", {"Status DTKS": "t", "Penerima PKH": "Y"}),
        ("6403", False, None, None, "not_in_dtks;pkh_recipient", ""),
    ),
    # row 12: P3KE "0" and KUBE "TRUE"
    (
        ("6402016006910011", "20-06-1991", "Kukar", {"Terdaftar P3KE": "0", "Penerima KUBE": "TRUE"}),
        ("6403", False, None, None, "not_in_p3ke;kube_recipient", ""),
    ),
    # row 13: not the main breadwinner
    (
        ("6402014808820012", "08-08-1982", "Kukar", {"Kepala Keluarga / Pencari Nafkah Utama": "Tidak"}),
        ("6403", False, None, None, "not_head_of_family", ""),
    ),
    # row 14: proposed by Kutai Barat, NIK from Kemendagri 64.02 = Kutai Kartanegara: a warning only
    (
        ("6402015209930013", "12-09-1993", "Kubar", {"Memiliki Usaha": "Ya"}),
        ("6402", True, 2, 2, "", "nik_other_region"),
    ),
    # row 15: Kutai Barat's own NIK (Kemendagri 64.07)
    (("6407014510870014", "05-10-1987", "Kubar", {}), ("6402", True, 1, 1, "", "")),
    # row 16: row 2's NIK again, proposed by Samarinda: flagged, not counted
    (
        ("6402015503850001", "15-03-1985", "Samarinda", {}),
        ("6472", False, None, None, "duplicate_nik", "nik_other_region;duplicate_group"),
    ),
    # row 17: DTKS cell empty
    (("6402015101950016", "11-01-1995", "Kukar", {"Status DTKS": ""}), ("6403", False, None, None, "missing_dtks", "")),
    # row 18: NIK from West Java (province 32): a warning only
    (
        ("3201015506800017", "15-06-1980", "Samarinda", {"Memiliki Usaha": "TRUE"}),
        ("6472", True, 2, 3, "", "nik_other_province"),
    ),
    # row 19: no stated birth date: 22-03-2000 from the NIK, aged 26
    (("6402016203000018", "", "Kukar", {}), ("6403", True, 1, 2, "", "birth_date_from_nik")),
    # row 20: NIK exported in scientific notation
    (("6,40202E+15", "01-01-1980", "Kukar", {}), ("6403", False, None, None, "nik_scientific", "")),
    # row 21: head-of-family cell unreadable
    (
        ("6402014401010020", "04-01-2001", "Kukar", {"Kepala Keluarga / Pencari Nafkah Utama": "mungkin"}),
        ("6403", False, None, None, "unreadable_head_of_family", ""),
    ),
]


def hand_rows() -> list[dict]:
    rows = []
    for number, ((nik, born, region, changes), _) in enumerate(HAND, start=1):
        cells = dict.fromkeys(HEADERS, "")
        cells.update(
            {
                "NIK": nik,
                "Nama": f"Calon Uji {number:04d}",
                "Tanggal Lahir": born,
                "Kabupaten/Kota": region,
                "Status DTKS": "ya",
                "Terdaftar P3KE": "ya",
                "Penerima PKH": "tidak",
                "Penerima KUBE": "tidak",
                "Memiliki Usaha": "tidak",
                "Jenis Usaha": "warung",
                "Status Perkawinan": "Cerai Hidup",
                "Kepala Keluarga / Pencari Nafkah Utama": "ya",
            }
        )
        cells.update(changes)
        rows.append(cells)
    return rows


@pytest.fixture
def hand_list(tmp_path):
    return write_csv(tmp_path / "daftar-uji.csv", hand_rows())


def test_hand_checked_decisions(hand_list):
    result = screen([hand_list], AS_OF)
    d = result.decisions
    assert list(d["source_row"]) == list(range(2, 2 + len(HAND)))
    for i, (_, (region, eligible, group, rank, reasons, warnings)) in enumerate(HAND):
        got = d.iloc[i]
        where = f"row {got['source_row']}"
        assert got["region_code"] == region, where
        assert bool(got["eligible"]) is eligible, where
        assert (
            None
            if got["priority_group"] is None or str(got["priority_group"]) == "<NA>"
            else int(got["priority_group"])
        ) == group, where
        assert (None if str(got["priority_rank"]) == "<NA>" else int(got["priority_rank"])) == rank, where
        assert ";".join(f.code for f in got["rejections"]) == reasons, where
        assert ";".join(f.code for f in got["warnings"]) == warnings, where
    assert d.iloc[0]["duplicate_group"] == d.iloc[14]["duplicate_group"] == "D0001"
    assert dict(d.iloc[14]["rejections"][0].params) == {"file": "daftar-uji.csv", "row": 2}
    assert list(d["age"].iloc[[2, 3, 4, 5, 17]]) == [18, 17, 60, 59, 26]
    assert d.iloc[0]["nik_masked"] == "640201********01"


def test_hand_checked_counts(hand_list):
    counts = screen([hand_list], AS_OF).counts.set_index("region_code")
    assert list(counts.index) == ["6402", "6403", "6472"]
    assert counts.loc["6403"].to_dict() == {
        "region_name": "Kab. Kutai Kartanegara",
        "eligible": 3,
        "priority": 2,
        "candidates": 12,
        "rejected": 9,
        "duplicate_rows": 1,
    }
    assert counts.loc["6472", ["eligible", "priority", "candidates", "rejected", "duplicate_rows"]].tolist() == [
        3,
        2,
        6,
        3,
        1,
    ]
    assert counts.loc["6402", ["eligible", "priority", "candidates", "rejected"]].tolist() == [2, 1, 2, 0]


def test_words_in_both_languages(hand_list):
    d = screen([hand_list], AS_OF).decisions
    finding = d.iloc[12]["warnings"][0]
    assert (
        finding.text("id")
        == "NIK diterbitkan di Kab. Kutai Kartanegara, diusulkan oleh Kab. Kutai Barat (pindah domisili?)"
    )
    assert finding.text("en") == "NIK issued in Kab. Kutai Kartanegara, proposed by Kab. Kutai Barat (moved?)"
    assert d.iloc[3]["rejections"][0].text("en") == "Aged 17 on the reference date, under 18"


def test_duplicates_across_lists_count_once(tmp_path):
    rng = random.Random(11)
    first = random_list(rng, 30, AS_OF, ("6401", "6471"), reject_share=0)
    second = random_list(rng, 20, AS_OF, ("6472",), start=100, reject_share=0)
    second[3]["NIK"] = first[4]["NIK"]  # the same woman proposed by two regions
    second[5]["NIK"] = second[6]["NIK"]  # and twice in one list
    a = write_csv(tmp_path / "a.csv", first)
    b = write_xlsx(tmp_path / "b.xlsx", second)
    result = screen([a, b], AS_OF)
    d = result.decisions
    flagged = d[d["duplicate_group"] != ""]
    assert len(flagged) == 4 and result.duplicate_groups == 2
    assert int(d["eligible"].sum()) == 50 - 2
    distinct = {r["NIK"] for r in first + second}
    assert int(result.counts["eligible"].sum()) == len(distinct)
    # across lists: counted in the list region that issued the NIK? neither issued by 6472, so the first row
    across = d[d["duplicate_group"] == flagged.iloc[0]["duplicate_group"]]
    assert list(across["eligible"]) == [True, False]


def test_counted_row_prefers_eligible_then_home_then_order():
    assert duplicates.counted_row([0, 1, 2], [False, True, True], [True, False, True]) == 2
    assert duplicates.counted_row([0, 1], [True, True], [False, False]) == 0
    assert duplicates.counted_row([3, 5], [True] * 3 + [False] * 3, [True] * 5 + [False]) == 3
    assert duplicates.counted_row([3, 5], [False] * 6, [False] * 5 + [True]) == 5
    assert duplicates.groups(["1", None, "2", "1", None, "2", "2"]) == [[0, 3], [2, 5, 6]]


def test_ranking_priority_first_then_list_order():
    regions = ["A", "A", "A", "B", "A"]
    groups = [2, 1, 2, 1, 1]
    eligible = [True, True, True, True, False]
    assert ranking.ranks(regions, groups, eligible, [None] * 5) == [2, 1, 3, 1, None]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("AB"), st.sampled_from([1, 2]), st.booleans()), min_size=1, max_size=30))
def test_lottery_is_reproducible_and_ignores_list_order(entries):
    niks = [f"64020155038{i:05d}" for i in range(len(entries))]
    regions, groups, eligible = (list(x) for x in zip(*entries, strict=True))
    first = ranking.ranks(regions, groups, eligible, niks, "lottery", "2027-01-15")
    assert first == ranking.ranks(regions, groups, eligible, niks, "lottery", "2027-01-15")
    order = list(range(len(entries)))
    random.Random(len(entries)).shuffle(order)
    shuffled = ranking.ranks(
        [regions[i] for i in order],
        [groups[i] for i in order],
        [eligible[i] for i in order],
        [niks[i] for i in order],
        "lottery",
        "2027-01-15",
    )
    assert [shuffled[order.index(i)] for i in range(len(entries))] == first
    for code in "AB":
        mine = [(g, r) for reg, g, e, r in zip(regions, groups, eligible, first, strict=True) if reg == code and e]
        assert sorted(r for _, r in mine) == list(range(1, len(mine) + 1))
        assert all(r1 < r2 for g1, r1 in mine for g2, r2 in mine if g1 < g2)


def test_screening_is_deterministic(tmp_path):
    rng = random.Random(3)
    path = write_csv(tmp_path / "a.csv", random_list(rng, 200, AS_OF))
    one, two = screen([path], AS_OF), screen([path], AS_OF)
    assert one.decisions.drop(columns=["rejections", "warnings"]).equals(
        two.decisions.drop(columns=["rejections", "warnings"])
    )
    assert one.counts.equals(two.counts)


def test_kemendagri_code_column_is_translated(tmp_path):
    rng = random.Random(4)
    spec = Spec(1, "6403", birth_for_age(rng, 30, AS_OF))
    cells = row(spec, rng)
    cells["Kabupaten/Kota"] = ""
    cells["Kode Kemendagri"] = "64.02"
    result = screen([write_csv(tmp_path / "k.csv", [cells])], AS_OF)
    assert result.decisions.iloc[0]["region_code"] == "6403"
    assert result.notices and result.notices[0].key == "kemendagri_translated"


def test_bps_code_contradicting_the_name_is_an_error(tmp_path):
    # a list keyed by Kemendagri codes in a BPS column: 6402 is Kutai Barat in BPS coding
    rng = random.Random(6)
    cells = row(Spec(1, "6403", birth_for_age(rng, 30, AS_OF), region_text="Kutai Kartanegara"), rng)
    cells["Kode BPS"] = "6402"
    with pytest.raises(InputError, match="Kemendagri"):
        screen([write_csv(tmp_path / "k.csv", [cells])], AS_OF)


def test_xlsx_with_title_rows_date_cells_and_numeric_niks(tmp_path):
    rng = random.Random(8)
    specs = [Spec(i, "6474", birth_for_age(rng, 25 + i, AS_OF), date_style="date") for i in range(1, 6)]
    path = write_xlsx(tmp_path / "l.xlsx", [row(s, rng) for s in specs], title="DAFTAR CALON WRSE", nik_as_text=False)
    d = screen([path], AS_OF).decisions
    assert list(d["source_row"]) == [3, 4, 5, 6, 7]
    assert d["eligible"].all()
    assert all(f.code == "nik_stored_as_number" for w in d["warnings"] for f in w)


def test_csv_with_semicolons_and_a_title_row(tmp_path):
    rng = random.Random(9)
    path = write_csv(tmp_path / "s.csv", random_list(rng, 12, AS_OF, ("6409",), reject_share=0), sep=";", title="x")
    d = screen([path], AS_OF).decisions
    assert d["eligible"].all() and d["source_row"].iloc[0] == 3


def test_strict_mode_names_row_and_column_not_the_value(tmp_path):
    rows = hand_rows()
    path = write_csv(tmp_path / "h.csv", rows)
    with pytest.raises(InputError) as caught:
        screen([path], AS_OF, strict=True)
    message = str(caught.value)
    assert "row 17" in message and "Status DTKS" in message


def test_missing_column_and_missing_header(tmp_path):
    rows = [{k: v for k, v in r.items() if k != "Penerima KUBE"} for r in hand_rows()]
    import csv

    path = tmp_path / "no-kube.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(InputError, match="Penerima KUBE"):
        screen([path], AS_OF)
    headless = tmp_path / "headless.csv"
    headless.write_text("\n".join(",".join(r.values()) for r in hand_rows()[:3]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        screen([headless], AS_OF)
    assert "6402015503850001" not in str(caught.value) and "Calon Uji" not in str(caught.value)


def test_unknown_region_name_is_not_quoted(tmp_path):
    rows = hand_rows()
    rows[2]["Kabupaten/Kota"] = "Calon Uji 0003"  # a name in the wrong column
    with pytest.raises(InputError) as caught:
        screen([write_csv(tmp_path / "r.csv", rows)], AS_OF)
    assert "row 4" in str(caught.value) and "Calon Uji" not in str(caught.value)


def test_same_list_twice_is_refused(hand_list):
    with pytest.raises(InputError, match="twice"):
        screen([hand_list, hand_list], AS_OF)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 10**6),
    st.lists(
        st.tuples(st.integers(0, 7), st.sampled_from(["6401", "6403", "6472"]), st.booleans(), st.booleans()),
        min_size=1,
        max_size=25,
    ),
)
def test_each_woman_counted_once_and_ranks_are_complete(seed, entries):
    """Properties on random lists with repeated NIKs: the counts equal the distinct NIKs among rows
    eligible on their own; each duplicate group has at most one eligible row; ranks run 1..n per
    region with every priority-group-1 woman before group 2."""
    import tempfile
    from pathlib import Path

    rng = random.Random(seed)
    pool = []
    for _ in range(8):
        born = birth_for_age(rng, rng.randint(15, 62), AS_OF)
        pool.append((make_nik_for(rng, born), born))
    rows = []
    for number, (who, region, business, dtks) in enumerate(entries, start=1):
        nik, born = pool[who]
        spec = Spec(number, region, born, nik=nik, business=business, dtks=dtks)
        rows.append(row(spec, rng))
    with tempfile.TemporaryDirectory() as folder:
        result = screen([write_csv(Path(folder) / "p.csv", rows)], AS_OF)
    d = result.decisions
    own = [all(f.code == "duplicate_nik" for f in r) for r in d["rejections"]]
    assert int(result.counts["eligible"].sum()) == len({rows[i]["NIK"] for i, ok in enumerate(own) if ok})
    assert int(d["eligible"].sum()) == int(result.counts["eligible"].sum())
    grouped = d[d["duplicate_group"] != ""].groupby("duplicate_group")["eligible"].sum()
    assert (grouped <= 1).all()
    for _, mine in d[d["eligible"]].groupby("region_code"):
        assert sorted(int(r) for r in mine["priority_rank"]) == list(range(1, len(mine) + 1))
        first = [int(r) for r, g in zip(mine["priority_rank"], mine["priority_group"], strict=True) if g == 1]
        later = [int(r) for r, g in zip(mine["priority_rank"], mine["priority_group"], strict=True) if g == 2]
        assert not first or not later or max(first) < min(later)


def make_nik_for(rng: random.Random, born: dt.date) -> str:
    return make_nik(rng, born, region=rng.choice(["6401", "6403", "6472"]))
