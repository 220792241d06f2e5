"""Solver faults: CBC missing or not executable, SciPy's HiGHS as the fallback, wrong answers replaced."""

import json

import pytest
from strategies import SMALL_PROBLEM as PROBLEM

from optimizer import model, solvers
from optimizer.cli import main
from optimizer.errors import InfeasibleError, SolverError


@pytest.fixture
def cbc_missing(monkeypatch):
    monkeypatch.setattr(solvers, "cbc_available", lambda: (False, "simulated: the CBC program is missing"))


@pytest.fixture
def cbc_not_executable(cbc_program, tmp_path):
    """CBC present but not executable (as on a noexec mount or another CPU)."""
    fake = tmp_path / "cbc"
    fake.write_bytes(b"\x7fELF not really a program")
    fake.chmod(0o644)
    cbc_program(fake)


@pytest.fixture
def no_highs(monkeypatch):
    monkeypatch.setattr(solvers, "highs_available", lambda: False)


@pytest.fixture
def no_scipy_milp(monkeypatch):
    monkeypatch.setattr(solvers, "scipy_milp_available", lambda: False)


def test_missing_cbc_falls_back_to_scipy_with_a_notice(cbc_missing, no_highs):
    outcome = model.solve_milp(PROBLEM, "cbc")
    assert outcome.solver == "scipy" and outcome.x.tolist() == [4, 2, 1]
    assert outcome.notices[0].key == "solver_fallback"
    assert outcome.notices[0].text("en").startswith("CBC cannot run here")
    assert "HiGHS (SciPy milp) was used instead" in outcome.notices[0].text("en")
    assert "HiGHS (SciPy milp) dipakai sebagai gantinya" in outcome.notices[0].text("id")


def test_unexecutable_cbc_falls_back_to_scipy(cbc_not_executable, no_highs):
    outcome = model.solve_milp(PROBLEM, "cbc")
    assert outcome.solver == "scipy" and outcome.x.tolist() == [4, 2, 1]


def test_unexecutable_cbc_without_another_solver_is_a_clear_error(cbc_not_executable, no_highs, no_scipy_milp):
    with pytest.raises(SolverError, match=r"failed to run.*--solver exact"):
        model.solve_milp(PROBLEM, "cbc")


def test_missing_cbc_without_another_solver_is_a_clear_error(cbc_missing, no_highs, no_scipy_milp):
    with pytest.raises(SolverError, match=r"CBC cannot run here.*SciPy's MILP solver is not available"):
        model.solve_milp(PROBLEM, "cbc")


def test_cli_with_missing_cbc(runner, cbc_missing, no_highs, no_scipy_milp, monkeypatch):
    monkeypatch.setenv("WRSE_LANG", "en")  # the wording checked is the English catalogue's
    result = runner.invoke(main, ["run", "next-fiscal-year", "--solver", "cbc"])
    assert result.exit_code == 1 and result.stderr.startswith("Error: CBC cannot run here")
    assert "Traceback" not in result.output
    # The default solver needs no CBC at all.
    ok = runner.invoke(main, ["run", "next-fiscal-year", "--format", "json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["solver"] == "exact"


def test_cli_fallback_notice_is_shown(runner, cbc_missing):
    result = runner.invoke(main, ["run", "next-fiscal-year", "--solver", "cbc", "--lang", "en"])
    assert result.exit_code == 0 and "HiGHS (SciPy milp) was used instead" in result.stdout


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("id", "[ok   ] CBC (PuLP): model uji yang hasilnya diketahui menghasilkan [4, 2, 1] dengan cbc"),
        ("en", "[ok  ] CBC (PuLP): known model gives [4, 2, 1] with cbc"),
    ],
)
def test_doctor_reports_versions_and_known_model_in_the_readers_language(runner, lang, line):
    from language_words import foreign_lines

    result = runner.invoke(main, ["doctor", "--lang", lang], env={"WRSE_LANG": None})
    assert result.exit_code == 0, result.output
    assert "pulp" in result.stdout and line in result.stdout
    assert not foreign_lines(result.stdout, lang), foreign_lines(result.stdout, lang)


def test_doctor_fails_without_any_milp_solver(runner, cbc_missing, no_highs, no_scipy_milp):
    result = runner.invoke(main, ["doctor"], env={"WRSE_LANG": None})
    assert result.exit_code == 1 and "[GAGAL] CBC (PuLP)" in result.stdout
    assert result.stderr.startswith("Kesalahan: tidak ada pemecah MILP"), result.stderr
    english = runner.invoke(main, ["doctor", "--lang", "en"])
    assert english.exit_code == 1 and "[FAIL] CBC (PuLP)" in english.stdout


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("id", "Layak, belum terbukti optimal (batas waktu pemecah tercapai; selisih 1,25% dari optimum)"),
        ("en", "Feasible, not proven optimal (solver time limit reached; gap 1.25% to the optimum)"),
    ],
)
def test_a_status_stopped_early_reads_in_the_readers_language_and_stays_english_in_json(lang, words):
    """The run header said "status: Feasible, not proven optimal (...)" in an Indonesian session."""
    import json
    import pickle

    from optimizer.i18n import Number, Status, localise

    status = Status.of("feasible_gap", gap=Number(1.25, 2))
    assert localise(status, lang) == words
    assert json.loads(json.dumps({"status": status}))["status"].startswith("Feasible, not proven optimal")
    assert pickle.loads(pickle.dumps(status)).text("id") == status.text("id")
    assert Status.of("optimal") == "Optimal" and localise(Status.of("optimal"), "id") == "Optimal"


def test_the_optimal_status_written_without_the_english_catalogue_is_its_english_text():
    """Status.of("optimal") is OPTIMAL without reading en.toml (an Indonesian run reads id.toml only)."""
    from optimizer.i18n import OPTIMAL, Status, catalogue, t

    assert t("status.optimal", "en") == OPTIMAL == str(Status.of("optimal")) == Status("optimal", ())
    catalogue.cache_clear()
    Status.of("optimal")
    assert catalogue.cache_info().currsize == 0


def test_elastic_relaxation_names_the_smallest_fix():
    relax = model.elastic_relaxation(("6401", "6402"), [0, 0], [5, 5], 14)
    assert sum(relax.values()) == 4  # 14 recipients cannot fit under caps of 5 + 5


def test_infeasible_model_is_explained_with_relaxations(monkeypatch, false_infeasible):
    """A real infeasibility (the elastic model needs a relaxation) is explained with its numbers."""
    monkeypatch.setattr(model, "elastic_relaxation", lambda *args: {("cap", "6401"): 2})
    with pytest.raises(InfeasibleError, match="smallest relaxations that would make it feasible: cap of 6401 by 2"):
        model.solve_milp(PROBLEM, "cbc")
