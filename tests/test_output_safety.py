"""Names from scenarios or data never escape the output folder."""

import pytest

from optimizer.cli import main
from optimizer.files import inside, safe_slug
from optimizer.scenario import shipped_dir


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/abs/path", "abs-path"),
        ("CON", "con-file"),
        ("nul.txt", "nul-txt"),
        ("..", "scenario"),
        ("Usulan TA 2027: Kab. Kutai/Kukar", "usulan-ta-2027-kab-kutai-kukar"),
        ("", "scenario"),
        ("lpt1", "lpt1-file"),
        ("Ünïcödé naïve", "unicode-naive"),
    ],
)
def test_safe_slug(name, slug):
    assert safe_slug(name) == slug


@pytest.mark.parametrize("name", ["../x", "a/b", "a\\b", "/etc/passwd", "..", "", "CON.html", "c:evil"])
def test_inside_rejects_names_that_escape(tmp_path, name):
    from optimizer.errors import InputError

    with pytest.raises(InputError):
        inside(tmp_path, name)


@pytest.mark.parametrize("name", ["../../../escaped", "/tmp/escaped-abs", "CON", "..\\\\..\\\\win"])
def test_report_folder_stays_inside_reports(runner, tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    scenario = tmp_path / "s.toml"
    base = (shipped_dir() / "next-fiscal-year.toml").as_posix()
    scenario.write_text(f'extends = "{base}"\n[scenario]\nname = "{name}"\n', encoding="utf-8")
    result = runner.invoke(main, ["report", "s.toml", "--baseline", "none", "--format", "md"])
    assert result.exit_code == 0, result.output
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "s.toml"]
    assert written and all(p.is_relative_to(tmp_path / "reports") for p in written), written
    assert not (tmp_path.parent / "escaped").exists()
