"""Sensitivity: reproducibility, the documented distributions, and equality with the engine and PuLP."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.analysis import sensitivity as sens
from optimizer.analysis.base import build
from optimizer.engine import allocate
from optimizer.errors import InfeasibleError, InputError
from optimizer.model import solve_milp
from optimizer.need import need_shares
from optimizer.problem import Problem


@pytest.fixture(scope="module")
def base(next_year, kaltim):
    return build(next_year, kaltim, strict=True)


def test_same_seed_same_result_different_seed_differs(base):
    spec = sens.Spec(draws=1500, weight_spread=25, data_spread=5, seed=11)
    first, second = sens.run(base, spec), sens.run(base, spec)
    np.testing.assert_array_equal(first.x, second.x)
    np.testing.assert_array_equal(first.weights, second.weights)
    pd.testing.assert_frame_equal(first.summary, second.summary)
    other = sens.run(base, sens.Spec(draws=1500, weight_spread=25, data_spread=5, seed=12))
    assert not np.array_equal(first.x, other.x)


def test_progress_and_chunking_do_not_change_the_draws(base):
    seen = []
    spec = sens.Spec(draws=sens.CHUNK * 2 + 7, seed=3)
    with_progress = sens.run(base, spec, progress=seen.append)
    assert sum(seen) == spec.draws and len(seen) == 3
    np.testing.assert_array_equal(with_progress.x, sens.run(base, spec).x)


def test_no_spread_keeps_the_scenario_allocation(base, next_year, kaltim):
    result = sens.run(base, sens.Spec(draws=50, weight_spread=0, data_spread=0))
    assert result.unchanged == 1.0
    scenario_counts = allocate(next_year, kaltim).included["recipients"].tolist()
    assert result.base_x.tolist() == scenario_counts
    assert (result.x == result.base_x).all()
    assert result.summary["p_fewer"].eq(0).all() and result.summary["p_more"].eq(0).all()


def test_batched_draws_equal_engine_with_pulp(base, next_year, kaltim):
    result = sens.run(base, sens.Spec(draws=400, weight_spread=40, seed=5))
    rng = np.random.default_rng(0)
    for i in rng.choice(400, size=4, replace=False):
        weights = dict(zip(("idg_gap", "poverty_rate", "eligible"), map(float, result.weights[i]), strict=True))
        expected = allocate(next_year.replace(weights=weights), kaltim, solver="cbc")
        assert expected.included["recipients"].tolist() == result.x[i].tolist()


def test_data_spread_shares_follow_the_need_formula_and_pulp(base):
    spec = sens.Spec(draws=300, weight_spread=20, data_spread=15, seed=9)
    inputs = sens.Inputs.of(base)
    rng = np.random.default_rng(spec.seed)
    weights = sens.draw_weights(rng, inputs.weights, spec)
    values = sens.draw_indicators(rng, inputs, spec)
    shares = sens.shares_of(weights, values)
    result = sens.run(base, spec)
    for i in (0, 17, 123, 299):
        frame = pd.DataFrame(
            {k: values[k][i] for k in ("idg_gap", "poverty_rate", "eligible")}, index=pd.Index(base.codes)
        )
        expected = need_shares(frame, dict(zip(("idg_gap", "poverty_rate", "eligible"), weights[i], strict=True)))
        np.testing.assert_allclose(shares[i], expected.shares.to_numpy(), rtol=0, atol=1e-14)
        problem = Problem(
            base.codes, shares[i] * result.affordable, base.lower, base.upper, result.affordable, base.method
        )
        assert solve_milp(problem, "cbc").x.tolist() == result.x[i].tolist()


def test_dirichlet_spread_matches_its_definition(base):
    # c = (k - 1) / p^2 - 1: for k = 3, P = 20%: c = 49; a weight w has sd sqrt(w (1 - w) / (c + 1)).
    assert sens.concentration(3, 20) == pytest.approx(49)
    result = sens.run(base, sens.Spec(draws=20_000, weight_spread=20, seed=1))
    assert result.concentration == pytest.approx(49)
    w = result.weights
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    for j, w0 in enumerate((0.3, 0.3, 0.4)):
        assert w[:, j].mean() == pytest.approx(w0, abs=0.003)
        assert w[:, j].std() == pytest.approx(np.sqrt(w0 * (1 - w0) / 50), rel=0.03)
    with pytest.raises(InputError):
        sens.concentration(3, 150)


def test_uniform_spread_stays_within_its_bounds(base):
    result = sens.run(base, sens.Spec(draws=2000, weight_model="uniform", weight_spread=30, seed=2))
    w0 = np.array([0.3, 0.3, 0.4])
    raw_low = w0 * 0.7 / (w0 * 1.3).sum()  # smallest a weight can be after renormalising
    assert np.all(result.weights >= raw_low.min() - 1e-12)
    np.testing.assert_allclose(result.weights.sum(axis=1), 1.0)


def test_summary_is_consistent(base):
    result = sens.run(base, sens.Spec(draws=3000, weight_spread=30, seed=4))
    s = result.summary
    assert (s["min"] <= s["p5"]).all() and (s["p5"] <= s["median"]).all() and (s["median"] <= s["p95"]).all()
    assert (s["p95"] <= s["max"]).all()
    assert np.all(result.x.sum(axis=1) == result.affordable)
    assert np.all(result.x >= base.lower)
    assert s["p_fewer"].tolist() == pytest.approx((result.x < result.base_x).mean(axis=0).tolist())
    assert result.unchanged == pytest.approx(np.mean(np.all(result.x == result.base_x, axis=1)))


def test_bad_specs_and_infeasible_budget(base, next_year, kaltim):
    for spec in (
        sens.Spec(draws=0),
        sens.Spec(weight_model="normal"),
        sens.Spec(weight_model="uniform", weight_spread=120),
        sens.Spec(data_spread=100),
        sens.Spec(seed=-1),
        sens.Spec(weight_spread=1e-9),
    ):
        with pytest.raises(InputError):
            spec.check()
    with pytest.raises(InfeasibleError):
        build(next_year, kaltim, budget_rp=90_000_000, strict=True)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 2**32),
    weight_spread=st.one_of(st.just(0.0), st.floats(sens.MIN_SPREAD, 80)),
    data_spread=st.floats(0, 30),
    model=st.sampled_from(sens.WEIGHT_MODELS),
)
def test_property_seeded_runs_are_reproducible(base, seed, weight_spread, data_spread, model):
    spec = sens.Spec(draws=200, weight_spread=weight_spread, weight_model=model, data_spread=data_spread, seed=seed)
    first, second = sens.run(base, spec), sens.run(base, spec)
    np.testing.assert_array_equal(first.x, second.x)
    assert first.unchanged == second.unchanged
    # Every draw is a valid allocation of the scenario's budget.
    assert np.all(first.x.sum(axis=1) == first.affordable)
    assert np.all((first.x >= base.lower) & (first.x <= base.upper))
