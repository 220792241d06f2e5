"""Inputs at the edge: indicator tables read and validated, and the year a scenario asks for.

- :mod:`.data`: reading the shipped data set or a user's file (CSV/XLSX, long or wide);
- :mod:`.layouts` and :mod:`.fast`: the two layouts, read row by row and column by column;
- :mod:`.validate`: checks of one cell and of a whole data set;
- :mod:`.years`: picking each region's figure for the year a scenario asks for;
- :mod:`.dataset`: the validated table in memory (:class:`~.dataset.DataSet`).
"""
