"""The program report as a PDF: the dashboard's tables and the same SVG charts, via WeasyPrint."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils import timezone

from .charts import chart_svg
from .panels import Panel


def report_pdf(*, panels: list[Panel], scope_label: str) -> bytes:
    from weasyprint import HTML  # lazily: WeasyPrint (and its Pango/Cairo) loads only when a PDF is made

    sections = []
    for panel in panels:
        charts = [{"chart": chart, "data_uri": "data:image/svg+xml;base64,"
                   + base64.b64encode(chart_svg(chart)).decode()} for chart in panel.charts]
        sections.append({"panel": panel, "charts": charts})
    html = render_to_string("insights/report.html", {
        "sections": sections, "scope_label": scope_label, "generated": timezone.now(),
    })
    return HTML(string=html, base_url=None).write_pdf()
