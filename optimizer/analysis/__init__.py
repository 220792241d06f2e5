"""Scenario analysis on top of the allocation engine.

Planners do not ask for one allocation; they ask "what if". This package answers three
questions, each in its own module, all built on the engine's problem (need shares,
bounds, method; see :mod:`optimizer.engine`) and checked against it:

* :mod:`~optimizer.analysis.sweep` (``wrse sweep``): the allocation at every budget in a
  range, the proof of house monotonicity (or the Alabama-paradox violations), the next
  recipients in line and the budget at which each kabupaten/kota enters the programme;
* :mod:`~optimizer.analysis.sensitivity` (``wrse sensitivity``): how the allocation moves
  when the weights (and optionally the indicator values) are uncertain, by seeded Monte
  Carlo draws solved by the vectorised solver of :mod:`~optimizer.analysis.batch`;
* :mod:`~optimizer.analysis.plan` (``wrse plan``): a multi-year roadmap to all ten
  kabupaten/kota as one MILP over all years (file format: :mod:`~optimizer.analysis.roadmap`;
  independent check of a plan: :mod:`~optimizer.analysis.plan_check`).

Rendering (tables, CSV, JSON) is in :mod:`~optimizer.analysis.render` and the sweep chart
in :mod:`~optimizer.analysis.chart`; the modules above only compute.
"""
