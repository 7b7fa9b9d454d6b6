"""The mentor portfolio as CSV and as PDF (WeasyPrint)."""

import csv
import io

from django.conf import settings
from django.template.loader import render_to_string

from .selectors import Portfolio


def portfolio_csv(portfolio: Portfolio) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "academic_year", "item", "detail", "value"])
    for year, rows in portfolio.mentees_by_year:
        for row in rows:
            writer.writerow(["mentee", year, row["mentee"], f"{row['kind']}; {row['program']}".strip("; "),
                             row["status"]])
    for year, held in portfolio.meetings_by_year:
        writer.writerow(["meetings_held", year, "", "", held])
    if portfolio.goals_supported is not None:
        writer.writerow(["goals_supported", "", "", "", portfolio.goals_supported])
    if portfolio.goals_achieved is not None:
        writer.writerow(["goals_achieved", "", "", "", portfolio.goals_achieved])
    for project in portfolio.scholarly:
        writer.writerow(["scholarly_output", "", project["title"], f"{project['kind']}; with {project['with']}",
                         project["stage"]])
    writer.writerow(["feedback_responses", "", "", "", portfolio.feedback_responses])
    for row in portfolio.feedback_rows:
        writer.writerow(["feedback_mean", "", row["question"], f"{row['responses']} responses", row["mean"]])
    return out.getvalue()


def portfolio_pdf(portfolio: Portfolio) -> bytes:
    from weasyprint import HTML

    html = render_to_string("portfolio/pdf.html", {"portfolio": portfolio})
    return HTML(string=html, base_url=settings.MENTORA_SITE_URL).write_pdf()
