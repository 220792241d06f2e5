"""Render the what-if page: the template with its stylesheet, scripts and data inlined."""

from __future__ import annotations

import json
from importlib import resources

from jinja2 import Environment, StrictUndefined, select_autoescape
from markupsafe import Markup

from .. import __version__
from ..i18n import t
from ..problem import METHODS
from ..scenario import WEIGHT_KEYS

ASSETS = ("page.css", "amount.js", "solver.js", "page.js", "page.html.j2")


def asset(name: str) -> str:
    """The text of one of the page's files (package data of ``optimizer.page``)."""
    return resources.files("optimizer.page").joinpath(name).read_text(encoding="utf-8")


def _script(text: str) -> Markup:
    """A script inlined into ``<script>``: it must not close the element itself."""
    if "</script" in text.lower() or "<!--" in text:
        raise ValueError("an inlined script must not contain '</script' or '<!--'")
    return Markup(text)


def payload_json(payload: dict) -> Markup:
    """The page's data as JSON that is safe inside ``<script type="application/json">``."""
    text = json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render_page(payload: dict, lang: str = "id") -> str:
    """The page as one HTML document (str). ``payload``: from
    :func:`~optimizer.page.payload.build_payload`; ``lang``: the language it opens in
    (``id`` or ``en``; the reader can switch)."""
    env = Environment(autoescape=select_autoescape(default=True), undefined=StrictUndefined, keep_trailing_newline=True)
    template = env.from_string(asset("page.html.j2"))
    return template.render(
        lang=lang,
        t=lambda key, **params: t(key, lang, **params),
        version=__version__,
        scenario=payload["scenario"],
        weight_keys=WEIGHT_KEYS,
        # the message naming each weight's indicator: the eligible one as its proxy when it is one
        weight_labels={
            k: payload["data"]["eligible_keys"]["weight"] if k == "eligible" else f"weight.{k}" for k in WEIGHT_KEYS
        },
        methods=METHODS,
        css=Markup(asset("page.css")),
        amount_js=_script(asset("amount.js")),
        solver_js=_script(asset("solver.js")),
        page_js=_script(asset("page.js")),
        payload_json=payload_json({**payload, "lang": lang}),
    )
