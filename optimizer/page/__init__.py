"""The what-if page: one self-contained HTML file that re-solves in the browser.

:func:`~optimizer.page.payload.build_payload` gathers what the page holds (the
scenario, each region's figures with year, status and source, the allocation as
shipped, baselines, the message catalogues); :func:`~optimizer.page.render.render_page`
inlines it with the page's own stylesheet and scripts (``amount.js``: the rules of
``--budget``; ``solver.js``: the engine's rules; ``page.js``: the controls and drawing)
into ``page.html.j2``. Nothing is fetched when the page is opened.
"""

from .payload import build_payload
from .render import render_page

__all__ = ["build_payload", "render_page"]
