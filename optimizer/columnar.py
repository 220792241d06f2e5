"""Named columns of equal length: the tables a run passes around, without pandas.

A run (``wrse run``) reads a data set, selects figures, allocates and writes the result;
none of it needs a DataFrame, and importing pandas would be most of its start-up time.
:class:`Columns` holds such a table as NumPy arrays (numbers as ``int64``/``float64``/
``bool``, text as ``object`` arrays of ``str``), one per column, in a fixed order.
:meth:`Columns.to_frame` gives the same table as a pandas DataFrame (pandas imported then)
for the report, the analyses and notebooks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


def text(values: Iterable[object]) -> np.ndarray:
    """``values`` as an ``object`` array (NumPy would make a fixed-width ``str`` array of text)."""
    values = values if isinstance(values, list) else list(values)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


class Columns(Mapping[str, np.ndarray]):
    """Columns of equal length by name, in order (a read-only mapping ``name -> array``).

    ``len()`` is the number of columns (as for any mapping); :attr:`n` the number of rows.
    Raises :class:`ValueError` when the columns differ in length.
    """

    __slots__ = ("_data", "_n")

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data: dict[str, np.ndarray] = {
            name: values if isinstance(values, np.ndarray) else np.asarray(values) for name, values in data.items()
        }
        lengths = {len(values) for values in self._data.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {sorted(lengths)}")
        self._n = lengths.pop() if lengths else 0

    def __getitem__(self, name: str) -> np.ndarray:
        return self._data[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"<Columns {self._n} rows: {', '.join(self._data)}>"

    @property
    def n(self) -> int:
        """Number of rows."""
        return self._n

    @property
    def names(self) -> list[str]:
        """The column names, in order."""
        return list(self._data)

    def take(self, rows: np.ndarray | list[int]) -> Columns:
        """The rows ``rows`` (int positions, or a bool mask of :attr:`n` entries), every column."""
        return Columns({name: values[rows] for name, values in self._data.items()})

    def with_columns(self, **columns: Any) -> Columns:
        """A copy with ``columns`` added or replaced (each of :attr:`n` entries)."""
        return Columns({**self._data, **columns})

    def records(self, names: Iterable[str] | None = None) -> Iterator[dict[str, object]]:
        """The rows as dicts of Python values (``int``, ``float``, ``bool``, ``str``), columns ``names``."""
        keys = list(self._data) if names is None else list(names)
        for values in zip(*(self._data[k].tolist() for k in keys), strict=True):
            yield dict(zip(keys, values, strict=True))

    def to_frame(self, index: str | None = None) -> pd.DataFrame:
        """The columns as a pandas DataFrame (pandas is imported here); ``index``: a column
        to index it by (kept out of the columns), else a RangeIndex."""
        import pandas as pd

        data = {name: values for name, values in self._data.items() if name != index}
        rows = pd.Index(self._data[index], name=index) if index is not None else None
        return pd.DataFrame(data, columns=list(data), index=rows)
