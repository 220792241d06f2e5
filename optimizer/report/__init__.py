"""Justification reports (``wrse report``): why each kabupaten/kota gets its number.

Pipeline (one job per module): :mod:`.pipeline` runs the engine for the scenario, its
baseline and its variants (:mod:`.provisions`, :mod:`.sensitivity`, :mod:`.variants`);
:mod:`.findings` computes what the report says and :mod:`.content` (with the ``sections_*``
modules) lays it out as a language-neutral :class:`~.document.Report`; :mod:`.text` and
:mod:`.view` resolve it for a language from the message catalogues; :mod:`.charts`
(matplotlib), :mod:`.html` (Jinja2), :mod:`.xlsx` (openpyxl), :mod:`.docx` (python-docx) and
:mod:`.markdown` render it; :mod:`.reproducible` fixes timestamps; :mod:`.writer` writes
every format atomically.

    from optimizer.report.pipeline import make_report
    from optimizer.report.writer import write
    report = make_report(scenario, data, baseline=baseline, command="wrse report …")
    write(report, "reports/next-fiscal-year", formats=("html", "xlsx"), lang="id")  # reports/example/: committed
"""
