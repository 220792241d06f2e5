"""Sensitivity of the allocation to the weights and the indicator values (seeded Monte Carlo).

The need weights (IDG gap, P0, eligible count) are a policy choice, and the indicators are
survey estimates. This module draws many plausible variants around the scenario, solves
each exactly as the engine would (all at once, :mod:`~optimizer.analysis.batch`), and
reports how each kabupaten/kota's count moves. The budget, bounds and method stay the
scenario's; only the need shares, hence the quotas ``share * R``, change.

Weights (``weight_model``, spread ``P`` %), drawn over the indicators with a positive
weight (an indicator with weight 0 stays at 0):

``dirichlet`` (default)
    ``w ~ Dirichlet(c * w0)``: positive weights that sum to 1, with mean ``w0`` (the
    scenario's normalised weights). The concentration ``c = (k - 1) / p**2 - 1`` (``k``
    weighted indicators, ``p = P / 100``) makes ``p`` the coefficient of variation
    (standard deviation / mean) of a weight of size ``1/k``; a weight ``w_i`` has
    coefficient of variation ``p * sqrt((1 - w_i) / (w_i (k - 1)))``, so smaller weights
    vary relatively more. With P = 20 and three indicators, ``c = 49``: 30/30/40 weights
    vary by about ±22%, ±22% and ±17% (one standard deviation). ``P`` must stay below
    ``100 * sqrt(k - 1)`` (``c > 0``).
``uniform``
    ``w_i = w0_i (1 + u_i)``, ``u_i ~ U(-p, p)`` independently, then renormalised to sum 1
    (so a weight can move a little more or less than ±P% after renormalising). P <= 100.

Indicator values (``data_spread``, ``P`` %, optional): every region's IDG, P0 and eligible
count used in the need formula is multiplied by ``1 + u``, ``u ~ U(-p, p)`` independently
per draw, region and indicator; the IDG gap is then ``max(0, IDG reference - IDG)`` with the
reference kept as published. An indicator whose values total 0 in a draw drops out and the
other weights are renormalised, as in :mod:`optimizer.need`. The eligible counts used as
upper bounds are not varied (they are the scenario's, e.g. screened counts).

A hierarchical scenario (``build(..., hierarchical=True)``, ``wrse sensitivity --hierarchical``)
is varied at the split ``wrse sweep --hierarchical`` sweeps (:attr:`optimizer.result.Levels.split`):
the first sibling group of more than one region from the top, so with one province at the
top (Kalimantan Timur) its kabupaten/kota. The weights drawn are those that split applied
(:attr:`~optimizer.result.Levels.split_weights`: an indicator a lower level drops, such as IDG
for desa, still counts there), the figures varied are its regions' own or aggregated IDG, P0
and eligible count (:mod:`optimizer.hierarchy`), the IDG gap is measured from its reference
(the scenario's number at the top level; below a region, its own IDG when it has one), and each
draw solves that split with its bounds (the sums of the bounds below). The counts reported
are its regions'; each is split again below as in the run. A split of one region (a data
set of one region) takes the whole count in every draw.

Reproducibility: one :class:`numpy.random.Generator` (PCG64) seeded with ``seed`` draws, in
this order, all weight variates and then all indicator variates (IDG, P0, eligible; N x n
each) before anything is solved, so a seed, the number of draws and the spreads fix the
result whatever the chunking or progress display.

Percentiles are observed counts (``numpy.percentile`` with ``method='inverted_cdf'``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..i18n import Count
from ..need import INDICATOR_COLUMNS
from .base import Base, split_rows
from .batch import solve_batch

WEIGHT_MODELS = ("dirichlet", "uniform")
DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 20230050  # any fixed value; printed with every result so a run can be repeated
DEFAULT_WEIGHT_SPREAD = 20.0  # percent
MAX_DRAWS = 1_000_000
CHUNK = 2_000  # draws solved at a time (progress updates, memory)
MIN_SPREAD = 0.01  # percent; a positive spread below this is a typo, not an analysis
PERCENTILES = (("p5", 5), ("median", 50), ("p95", 95))


@dataclass(frozen=True)
class Spec:
    """What to draw. ``draws``: N. ``weight_spread``/``data_spread``: P in percent (0 = fixed).
    ``weight_model``: one of :data:`WEIGHT_MODELS`. ``seed``: int >= 0."""

    draws: int = DEFAULT_DRAWS
    weight_spread: float = DEFAULT_WEIGHT_SPREAD
    weight_model: str = "dirichlet"
    data_spread: float = 0.0
    seed: int = DEFAULT_SEED

    def check(self) -> None:
        """Raise :class:`InputError` for a value out of range (naming the option)."""
        if not 1 <= self.draws <= MAX_DRAWS:
            raise InputError("analysis.sensitivity.sensitivity_draws", draws=self.draws, max_draws=Count(MAX_DRAWS))
        if self.weight_model not in WEIGHT_MODELS:
            raise InputError(
                "analysis.sensitivity.sensitivity_weight_model",
                weight_model=self.weight_model,
                weight_models=", ".join(WEIGHT_MODELS),
            )
        if not (self.weight_spread == 0 or MIN_SPREAD <= self.weight_spread <= 1000) or math.isnan(self.weight_spread):
            raise InputError(
                "analysis.sensitivity.sensitivity_weight_spread_percentage",
                weight_spread=self.weight_spread,
                min_spread=MIN_SPREAD,
            )
        if self.weight_model == "uniform" and self.weight_spread > 100:
            raise InputError("analysis.sensitivity.sensitivity_weight_spread_uniform", weight_spread=self.weight_spread)
        if not (0 <= self.data_spread < 100) or math.isnan(self.data_spread):
            raise InputError("analysis.sensitivity.sensitivity_data_spread_percentage", data_spread=self.data_spread)
        if self.seed < 0:
            raise InputError("analysis.sensitivity.sensitivity_seed_whole_number", seed=self.seed)


def concentration(k: int, spread_pct: float) -> float:
    """Dirichlet concentration ``c = (k - 1) / p**2 - 1`` for ``k`` weights and spread ``P`` %.

    Raises :class:`InputError` when ``c <= 0`` (the spread is too wide for a Dirichlet).
    """
    p = spread_pct / 100
    c = (k - 1) / (p * p) - 1
    if c <= 0:
        limit = 100 * math.sqrt(k - 1)
        raise InputError("analysis.sensitivity.sensitivity_weight_spread_too", spread_pct=spread_pct, k=k, limit=limit)
    return c


@dataclass(frozen=True)
class Inputs:
    """The need formula's inputs for the included regions (n of them, BPS order).

    ``weights``: (3,) applied weights in :data:`~optimizer.need.INDICATOR_COLUMNS` order.
    ``idg``: (n,) IDG (index points), ``reference``: the IDG reference; ``poverty``: (n,)
    P0 (%); ``eligible``: (n,) persons. Arrays of an unweighted indicator may hold NaN.
    """

    weights: np.ndarray
    idg: np.ndarray
    reference: float
    poverty: np.ndarray
    eligible: np.ndarray

    @classmethod
    def of(cls, base: Base) -> Inputs:
        """The inputs behind ``base`` (which must come from :func:`~optimizer.analysis.base.build`).

        For a hierarchical base, those of the split it varies: the weights applied there
        (:attr:`~optimizer.result.Levels.split_weights`, not the units' when a lower level drops
        an indicator), that split's regions' figures and its IDG reference.
        """
        a = base.allocation
        if a is None:
            raise ValueError("a base without its engine allocation has no indicator values")
        rows = split_rows(a)
        weights = a.tree.split_weights if a.tree is not None else a.weights
        reference = rows["idg_reference"].iat[0] if a.tree is not None else a.idg_reference
        return cls(
            weights=np.array([float(weights[k]) for k in INDICATOR_COLUMNS]),
            idg=rows["idg"].to_numpy(dtype=float),
            reference=float(reference),
            poverty=rows["poverty_rate"].to_numpy(dtype=float),
            eligible=rows["eligible"].to_numpy(dtype=float),
        )


def draw_weights(rng: np.random.Generator, weights: np.ndarray, spec: Spec) -> np.ndarray:
    """(N, 3) weight draws around ``weights`` (see the module docstring); zeros stay zero."""
    n = spec.draws
    positive = weights > 0
    k = int(positive.sum())
    out = np.zeros((n, len(weights)))
    if spec.weight_spread == 0 or k < 2:
        out[:] = weights
        return out
    w0 = weights[positive] / weights[positive].sum()
    if spec.weight_model == "dirichlet":
        out[:, positive] = rng.dirichlet(concentration(k, spec.weight_spread) * w0, size=n)
    else:
        p = spec.weight_spread / 100
        varied = w0 * (1 + rng.uniform(-p, p, size=(n, k)))
        out[:, positive] = varied / varied.sum(axis=1, keepdims=True)
    return out


def draw_indicators(rng: np.random.Generator, inputs: Inputs, spec: Spec) -> dict[str, np.ndarray]:
    """(N, n) indicator draws: ``idg_gap``, ``poverty_rate``, ``eligible`` (values as in the need formula)."""
    n_draws, n = spec.draws, len(inputs.idg)
    if spec.data_spread == 0:
        factors = [np.ones((n_draws, n))] * 3
    else:
        p = spec.data_spread / 100
        factors = [1 + rng.uniform(-p, p, size=(n_draws, n)) for _ in range(3)]
    idg = inputs.idg * factors[0]
    return {
        "idg_gap": np.maximum(0.0, inputs.reference - idg),
        "poverty_rate": inputs.poverty * factors[1],
        "eligible": inputs.eligible * factors[2],
    }


def shares_of(weights: np.ndarray, values: dict[str, np.ndarray]) -> np.ndarray:
    """Need shares (N, n) for weight draws (N, 3) and indicator draws (N, n) each.

    The formula of :mod:`optimizer.need`: ``sum_k w_k v_kr / sum_r v_kr`` over the
    indicators with a positive weight and a positive total, weights renormalised over them.
    """
    n_draws = weights.shape[0]
    n = next(iter(values.values())).shape[1]
    numerator = np.zeros((n_draws, n))
    used_weight = np.zeros(n_draws)
    for j, column in enumerate(INDICATOR_COLUMNS):
        w = weights[:, j]
        if not np.any(w > 0):
            continue
        v = np.nan_to_num(values[column], nan=0.0)
        totals = v.sum(axis=1)
        ok = (w > 0) & (totals > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            component = np.where(ok[:, None], v / totals[:, None], 0.0)
        numerator += np.where(ok, w, 0.0)[:, None] * component
        used_weight += np.where(ok, w, 0.0)
    if np.any(used_weight <= 0):
        raise InputError("analysis.sensitivity.sensitivity_some_draws_every")
    return numerator / used_weight[:, None]


@dataclass(frozen=True)
class SensitivityResult:
    """Draws and their summary.

    ``x``: int64 (N, n) recipients per draw and region; ``base_x``: int64 (n,), the
    scenario's allocation; ``weights``: (N, 3) drawn weights (applied, sum 1);
    ``affordable``: R (persons). ``summary``: one row per region with ``region_code``,
    ``region_name``, ``scenario`` (recipients), ``min``, ``p5``, ``median``, ``p95``,
    ``max``, ``mean`` (recipients), ``p_fewer``, ``p_more`` (fractions of draws).
    ``unchanged``: fraction of draws whose whole allocation equals the scenario's.
    ``weight_summary``: one row per indicator: ``indicator``, ``scenario``, ``p5``,
    ``median``, ``p95`` (weights, fractions). ``concentration``: the Dirichlet ``c`` or None.
    ``fallback_rows``: draws solved by the engine's exact solver one by one.
    """

    base: Base
    spec: Spec
    base_x: np.ndarray
    x: np.ndarray
    weights: np.ndarray
    affordable: int
    summary: pd.DataFrame
    unchanged: float
    weight_summary: pd.DataFrame
    concentration: float | None
    fallback_rows: tuple[int, ...]

    def __repr__(self) -> str:
        return (
            f"<SensitivityResult {self.spec.draws} draws over {self.x.shape[1]} regions, "
            f"{self.unchanged:.0%} unchanged>"
        )

    def to_frame(self) -> pd.DataFrame:
        """The per-region summary (see the class docstring), a copy."""
        return self.summary.copy()


def run(base: Base, spec: Spec, progress: Callable[[int], None] | None = None) -> SensitivityResult:
    """Draw, solve and summarise (see the module docstring).

    ``base``: from :func:`~optimizer.analysis.base.build` (with ``strict=True``, so its
    reference budget is the scenario's). ``progress(k)`` is called after each chunk with
    the number of draws just solved. Raises :class:`InputError` for a bad spec.
    """
    spec.check()
    inputs = Inputs.of(base)
    rng = np.random.default_rng(spec.seed)
    weights = draw_weights(rng, inputs.weights, spec)
    values = draw_indicators(rng, inputs, spec)
    if base.allocation.tree is not None and base.n == 1:  # one region takes the whole count
        shares = np.ones((spec.draws, 1))
    else:
        shares = shares_of(weights, values)
    affordable = int(base.allocation.affordable)
    base_x = np.array([int(v) for v in split_rows(base.allocation)["recipients"]], dtype=np.int64)
    x = np.empty((spec.draws, base.n), dtype=np.int64)
    fallback: list[int] = []
    for start in range(0, spec.draws, CHUNK):
        stop = min(spec.draws, start + CHUNK)
        chunk_shares = shares[start:stop]
        quota = chunk_shares * affordable
        upper = base.upper_for(chunk_shares)
        total = np.minimum(affordable, upper.sum(axis=1))
        result = solve_batch(quota, base.lower, upper, total, base.method, codes=base.codes)
        x[start:stop] = result.x
        fallback.extend(start + r for r in result.fallback_rows)
        if progress is not None:
            progress(stop - start)
    k = int((inputs.weights > 0).sum())
    c = (
        concentration(k, spec.weight_spread)
        if spec.weight_model == "dirichlet" and spec.weight_spread > 0 and k >= 2
        else None
    )
    return SensitivityResult(
        base=base,
        spec=spec,
        base_x=base_x,
        x=x,
        weights=weights,
        affordable=affordable,
        summary=summarise(base, base_x, x),
        unchanged=float(np.mean(np.all(x == base_x, axis=1))),
        weight_summary=_weight_summary(inputs.weights, weights),
        concentration=c,
        fallback_rows=tuple(fallback),
    )


def summarise(base: Base, base_x: np.ndarray, x: np.ndarray) -> pd.DataFrame:
    """Per region: scenario count, min, p5, median, p95, max, mean, p_fewer, p_more (see :class:`SensitivityResult`)."""
    frame = pd.DataFrame({"region_code": list(base.codes), "region_name": list(base.names)})
    frame["scenario"] = base_x.astype(np.int64)
    frame["min"] = x.min(axis=0).astype(np.int64)
    for name, q in PERCENTILES:
        frame[name] = np.percentile(x, q, axis=0, method="inverted_cdf").astype(np.int64)
    frame["max"] = x.max(axis=0).astype(np.int64)
    frame["mean"] = x.mean(axis=0)
    frame["p_fewer"] = (x < base_x).mean(axis=0)
    frame["p_more"] = (x > base_x).mean(axis=0)
    return frame


def _weight_summary(w0: np.ndarray, weights: np.ndarray) -> pd.DataFrame:
    rows = []
    for j, column in enumerate(INDICATOR_COLUMNS):
        p5, median, p95 = np.percentile(weights[:, j], [5, 50, 95])
        rows.append({"indicator": column, "scenario": float(w0[j]), "p5": p5, "median": median, "p95": p95})
    return pd.DataFrame(rows)
