"""The mentor portfolio as CSV and as PDF (WeasyPrint)."""

from django.conf import settings
from django.template.loader import render_to_string

from mentora.core.spreadsheets import csv_text

from .selectors import Portfolio

HEADER = ["section", "academic_year", "item", "detail", "value"]


def portfolio_rows(portfolio: Portfolio) -> list[list]:
    rows = []
    for year, mentees in portfolio.mentees_by_year:
        for row in mentees:
            rows.append(["mentee", year, row["mentee"], f"{row['kind']}; {row['program']}".strip("; "),
                         row["status"]])
    for year, held in portfolio.meetings_by_year:
        rows.append(["meetings_held", year, "", "", held])
    if portfolio.goals_supported is not None:
        rows.append(["goals_supported", "", "", "", portfolio.goals_supported])
    if portfolio.goals_achieved is not None:
        rows.append(["goals_achieved", "", "", "", portfolio.goals_achieved])
    for project in portfolio.scholarly:
        rows.append(["scholarly_output", "", project["title"], f"{project['kind']}; with {project['with']}",
                     project["stage"]])
    rows.append(["feedback_responses", "", "", "", portfolio.feedback_responses])
    for row in portfolio.feedback_rows:
        rows.append(["feedback_mean", "", row["question"], f"{row['responses']} responses", row["mean"]])
    return rows


def portfolio_csv(portfolio: Portfolio) -> str:
    """Written by the one export writer (mentora.core.spreadsheets): names cannot run as formulas."""
    return csv_text(portfolio_rows(portfolio), header=HEADER)


def portfolio_pdf(portfolio: Portfolio) -> bytes:
    from weasyprint import HTML  # lazily: WeasyPrint (and its Pango/Cairo) loads only when a PDF is made

    html = render_to_string("portfolio/pdf.html", {"portfolio": portfolio})
    return HTML(string=html, base_url=settings.MENTORA_SITE_URL).write_pdf()
