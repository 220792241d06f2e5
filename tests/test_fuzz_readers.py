"""Fuzzing the readers: any file either loads or fails with an InputError, never a crash."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer import eligible
from optimizer.errors import InputError
from optimizer.inputs.data import load as load_data
from optimizer.tabular import read_table

HEADER = "region_code,region_name,indicator,year,value,source\n"
cells = st.one_of(
    st.sampled_from(
        [
            "6401",
            "6403",
            "64",
            "64.02",
            "Kukar",
            "idg",
            "poverty_rate",
            "2019",
            "66,2",
            "1.234",
            "",
            "-1",
            "1e9",
            "nan",
            "inf",
            "=cmd",
            '"',
            ";",
            "\t",
            "Rp 1.000",
            "ya",
        ]
    ),
    st.text(max_size=8),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=8), max_size=6)


def render(table, sep):
    return "\n".join(sep.join(row) for row in table)


@given(body=rows, sep=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_indicator_reader_never_crashes(tmp_path, body, sep, encoding):
    path = tmp_path / "fuzz.csv"
    text = HEADER.replace(",", sep) + render(body, sep)
    path.write_bytes(text.encode(encoding, errors="replace"))
    try:
        data = load_data(path)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert len(data.units) >= 1


@given(content=st.binary(max_size=200))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_arbitrary_bytes(tmp_path, content):
    path = tmp_path / "bytes.csv"
    path.write_bytes(content)
    for reader in (lambda p: read_table(p), load_data, lambda p: eligible.from_file(p, ("6401",))):
        try:
            reader(path)
        except InputError as exc:
            assert "\n" not in str(exc)


@given(body=rows)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_counts_reader_never_crashes(tmp_path, body):
    path = tmp_path / "counts.csv"
    path.write_text("region_code,eligible,priority\n" + render(body, ","), encoding="utf-8")
    try:
        counts = eligible.from_file(path, ("6401",))
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert counts.frame.loc["6401", "eligible"] >= 0
