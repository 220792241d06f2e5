"""Roadmap files and the multi-year plan: hand-checked plans, the independent checker, infeasibility."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from optimizer.analysis import roadmap as rm
from optimizer.analysis.plan import PlanInfeasible, plan
from optimizer.analysis.plan_check import Rules, check_plan, counts_of
from optimizer.engine import allocate
from optimizer.errors import InputError
from optimizer.inputs.data import shipped
from optimizer.scenario import load as load_scenario

# the retired 2024-2028 roadmap, kept as a fixture (the shipped one is roadmap-2027-uep)
LEGACY_ROADMAP = Path(__file__).parent / "data" / "roadmap-all-ten-2027.toml"

JUTA = 1_000_000

SMALL = """
[roadmap]
scenario = "baseline-2023"
first_year = 2024
last_year = 2025
coverage_year = {coverage}

[budget.per_year]
2024 = "{b2024}"
2025 = "{b2025}"

[bimtek]
session_rp = "{session}"
min_class = 5

[rules]
min_share_of_previous_pct = 50

[baseline]
year = 2023
recipients = {{}}
"""


def small(tmp_path, coverage=2024, b2024="60 juta", b2025="60 juta", session="10 juta", name="small.toml"):
    path = tmp_path / name
    path.write_text(SMALL.format(coverage=coverage, b2024=b2024, b2025=b2025, session=session), encoding="utf-8")
    return rm.load(path)


@pytest.fixture(scope="module")
def shipped_plan():
    return plan(rm.load(LEGACY_ROADMAP))


def test_hand_checked_two_region_plan(tmp_path):
    # Need scenario baseline-2023: Kutai Kartanegara (6403) share 0.7207, Samarinda (6472) 0.2793.
    # Rp 60 juta buys R = 20 grants: quotas 14.41 and 5.59. Both must be active in 2024 (coverage),
    # two sessions cost Rp 20 juta, leaving 13 grants; each needs a class of 5, and the 3 left go to
    # Kukar, whose unit costs (2k+1)/14.41 - 2 = -1.24, -1.10, -0.96 beat Samarinda's next (-0.03).
    result = plan(small(tmp_path))
    assert result.codes == ("6403", "6472")
    assert result.x.tolist() == [[8, 5], [8, 5]]
    assert result.unspent_rp.tolist() == [1 * JUTA, 1 * JUTA]
    q = result.quota[0]
    expected = 2 * ((8 - q[0]) ** 2 / q[0] + (5 - q[1]) ** 2 / q[1])
    assert result.objective[0] == pytest.approx(expected, rel=1e-12)
    assert result.entry_year() == {"6403": 2024, "6472": 2024}
    assert result.optimal and result.status == "Optimal"


def test_hand_checked_infeasible_plan_names_the_smallest_budgets(tmp_path):
    # Sessions of Rp 30 juta: in 2025 (coverage) both regions need a session and a class of 5:
    # 2 x 30 + 10 x 3 = Rp 90 juta > Rp 60 juta. The smallest multiple of the budgets is 90/60 = 1.5.
    roadmap = small(tmp_path, coverage=2025, session="30 juta")
    with pytest.raises(PlanInfeasible) as caught:
        plan(roadmap)
    error = caught.value
    assert error.factor == Fraction(3, 2)
    assert error.budgets_rp == {2024: 90 * JUTA, 2025: 90 * JUTA}
    assert error.binding_year == 2025
    message = str(error)  # English: the budgets in English digits (they were listed the Indonesian way)
    assert "(2024 Rp 90,000,000, 2025 Rp 90,000,000)" in message and str(roadmap.path) in message
    assert "(2024 Rp 90.000.000, 2025 Rp 90.000.000)" in error.text("id")
    # Those budgets suffice, and one rupiah less in the binding year does not.
    assert plan(small(tmp_path, coverage=2025, session="30 juta", b2024="90 juta", b2025="90 juta")).x.sum() > 0
    with pytest.raises(PlanInfeasible):
        plan(small(tmp_path, coverage=2025, session="30 juta", b2024="90 juta", b2025="89999999", name="b.toml"))


def test_growth_roadmap_infeasible_gives_a_start_budget(tmp_path):
    text = (tmp_path / "g.toml").write_text(
        SMALL.format(coverage=2024, b2024="1", b2025="1", session="10 juta").replace(
            '[budget.per_year]\n2024 = "1"\n2025 = "1"', '[budget]\nstart = "30 juta"\ngrowth_pct = 10'
        ),
        encoding="utf-8",
    )
    del text
    roadmap = rm.load(tmp_path / "g.toml")
    assert roadmap.budgets == {2024: 30 * JUTA, 2025: 33 * JUTA}
    with pytest.raises(PlanInfeasible) as caught:
        plan(roadmap)
    # 2024 needs two sessions and two classes: 20 + 30 = Rp 50 juta; 2025 at least as much (hold-harmless,
    # min share 50%): so the start must be Rp 50 juta (2025: 55 juta).
    assert caught.value.start_rp == 50 * JUTA
    assert caught.value.budgets_rp == {2024: 50 * JUTA, 2025: 55 * JUTA}


def test_shipped_plan_meets_every_rule(shipped_plan):
    p = shipped_plan
    r = p.roadmap
    # Baseline: the baseline-2023 scenario's allocation (modelled split of the 50 recipients).
    base = allocate(load_scenario("baseline-2023"), shipped())
    assert dict(zip(p.codes, p.baseline.tolist(), strict=True)) == {c: base.recipients()[c] for c in p.codes}
    assert p.baseline.sum() == 50
    rules = Rules(
        years=p.years,
        codes=p.codes,
        budgets_rp=dict(zip(p.years, p.budgets_rp.tolist(), strict=True)),
        cost_rp=p.cost_rp,
        session_rp=p.session_rp,
        min_class=r.min_class,
        min_share=r.min_share_of_previous,
        coverage_year=r.coverage_year,
        eligible=dict(zip(p.codes, p.eligible.tolist(), strict=True)),
        baseline=dict(zip(p.codes, p.baseline.tolist(), strict=True)),
        baseline_year=r.baseline.year,
    )
    assert check_plan(rules, counts_of(p.years, p.codes, p.x)) == []
    # The same rules again with numpy, as a second method.
    x = p.x
    active = x > 0
    assert np.all(x[active] >= r.min_class)
    assert np.all(active[p.years.index(r.coverage_year) :])
    previous = np.vstack([p.baseline, x[:-1]])
    assert np.all(x >= np.ceil(previous * float(r.min_share_of_previous)))
    assert np.all(active >= np.vstack([p.baseline > 0, active[:-1]]))
    assert np.all(p.baseline + x.sum(axis=0) <= p.eligible)
    assert np.all(x.sum(axis=1) * p.cost_rp + active.sum(axis=1) * p.session_rp <= p.budgets_rp)
    assert np.all(p.unspent_rp >= 0)
    entries = p.entry_year()
    assert entries["6403"] == entries["6472"] == 2023
    assert all(year is not None and year <= r.coverage_year for year in entries.values())
    frame = p.frame()
    assert len(frame) == (len(p.years) + 1) * len(p.codes)
    assert frame.groupby("year")["total_rp"].sum().loc[list(p.years)].tolist() == p.spent_rp.tolist()


def test_checker_names_every_broken_rule():
    rules = Rules(
        years=(2024, 2025),
        codes=("A", "B"),
        budgets_rp={2024: 40, 2025: 40},
        cost_rp=3,
        session_rp=10,
        min_class=2,
        min_share=Fraction(1, 2),
        coverage_year=2025,
        eligible={"A": 12, "B": 5},
        baseline={"A": 6, "B": 0},
        baseline_year=2023,
    )
    assert check_plan(rules, {(2024, "A"): 3, (2025, "A"): 3, (2025, "B"): 2}) == []
    broken = {
        "above its eligible count": {(2024, "A"): 3, (2025, "A"): 3, (2025, "B"): 6},
        "below the minimum class": {(2024, "A"): 3, (2025, "A"): 3, (2025, "B"): 1},
        "hold-harmless": {(2024, "A"): 0, (2025, "A"): 3, (2025, "B"): 2},
        "below 1/2 of 6": {(2024, "A"): 2, (2025, "A"): 2, (2025, "B"): 2},
        "coverage year": {(2024, "A"): 3, (2025, "A"): 3},
        "above the budget": {(2024, "A"): 3, (2025, "A"): 4, (2025, "B"): 5},
        "not a whole number": {(2024, "A"): 3.0, (2025, "A"): 3, (2025, "B"): 2},
    }
    for phrase, counts in broken.items():
        problems = check_plan(rules, counts)
        assert any(phrase in p for p in problems), (phrase, problems)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("[rules]", "[rulez]"), "unknown key 'rulez'"),
        (("min_class = 5", "min_class = 5\nclass_size = 3"), "unknown key 'bimtek.class_size'"),
        (("min_class = 5", 'min_class = "5"'), "key 'bimtek.min_class'"),
        (("min_class = 5", "min_class = 0"), "key 'bimtek.min_class'"),
        (("coverage_year = 2024", "coverage_year = 2030"), "key 'roadmap.coverage_year'"),
        (('2025 = "60 juta"', ""), "key 'budget.per_year.2025' is missing"),
        (('2025 = "60 juta"', '2025 = "60 juta"\n2031 = "1 juta"'), "key 'budget.per_year.2031'"),
        (('2025 = "60 juta"', '2025 = "enam puluh"'), "key 'budget.per_year.2025'"),
        (("year = 2023", "year = 2024"), "key 'baseline.year'"),
        (("recipients = {}", 'recipients = { "Atlantis" = 3 }'), "baseline.recipients"),
        (("recipients = {}", 'recipients = {}\nscenario = "baseline-2023"'), "not both"),
        (("min_share_of_previous_pct = 50", "min_share_of_previous_pct = 150"), "rules.min_share_of_previous_pct"),
        (('scenario = "baseline-2023"', 'scenario = "no-such-scenario"'), "key 'roadmap.scenario'"),
        (("[budget.per_year]", '[budget]\nstart = "1 juta"\n[budget.per_year]'), "not both"),
    ],
)
def test_roadmap_errors_name_file_and_key(tmp_path, change, expected):
    text = SMALL.format(coverage=2024, b2024="60 juta", b2025="60 juta", session="10 juta")
    old, new = change
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        rm.load(path)
    message = str(caught.value)
    assert str(path) in message and expected in message and "\n" not in message


def test_baseline_above_eligible_is_an_error(tmp_path):
    path = tmp_path / "over.toml"
    text = SMALL.format(coverage=2024, b2024="60 juta", b2025="60 juta", session="10 juta")
    path.write_text(text.replace("recipients = {}", "recipients = { Kukar = 99999999 }"), encoding="utf-8")
    with pytest.raises(InputError, match="above its eligible count"):
        plan(rm.load(path))


def test_growth_budgets_are_exact():
    years = (2024, 2025, 2026)
    assert rm.growth_budgets(100, Fraction(15, 2), years) == {2024: 100, 2025: 107, 2026: 115}
    assert rm.growth_budgets(150 * JUTA, Fraction(30), years) == {2024: 150 * JUTA, 2025: 195 * JUTA, 2026: 253_500_000}
    assert [p.name for p in rm.shipped_roadmaps()] == ["roadmap-2027-uep.toml"]


def test_the_plan_names_its_solver_as_a_reader_knows_it(shipped_plan):
    """The plan's notes said "Pemecah: cbc", the option value, where the run says "CBC"."""
    from optimizer.analysis.render.plan import plan_table
    from optimizer.solvers import SolverName

    assert "Pemecah: CBC · status: Optimal" in plan_table(shipped_plan, "id")
    assert "Solver: CBC · status: Optimal" in plan_table(shipped_plan, "en")
    # the levels of a hierarchical run joined by "+", each by its name; an unknown name as given
    assert SolverName("cbc+exact").text("id") == "CBC + pemecah eksak terstruktur"
    assert SolverName("scipy").text("en") == "HiGHS (SciPy milp)"
    assert SolverName("glpk").text("id") == "glpk"
