from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from mentora.core.spreadsheets import csv_response

from . import permissions
from .downloads import HEADER, portfolio_pdf, portfolio_rows
from .selectors import mentor_portfolio


def _portfolio_for(request):
    if not permissions.can_view_portfolio(request.user):
        raise PermissionDenied
    return mentor_portfolio(mentor=request.user)


def _filename(request, extension: str) -> str:
    return f"mentoring-portfolio-{slugify(request.user.display_name) or request.user.pk}.{extension}"


@login_required
def portfolio_page(request):
    return render(request, "portfolio/page.html", {"portfolio": _portfolio_for(request)})


@login_required
def portfolio_download_csv(request):
    return csv_response(portfolio_rows(_portfolio_for(request)), header=HEADER, filename=_filename(request, "csv"))


@login_required
def portfolio_download_pdf(request):
    response = HttpResponse(portfolio_pdf(_portfolio_for(request)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, "pdf")}"'
    return response
