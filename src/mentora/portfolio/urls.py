from django.urls import path

from . import views

app_name = "portfolio"

urlpatterns = [
    path("", views.portfolio_page, name="portfolio"),
    path("portfolio.csv", views.portfolio_download_csv, name="portfolio_csv"),
    path("portfolio.pdf", views.portfolio_download_pdf, name="portfolio_pdf"),
]
