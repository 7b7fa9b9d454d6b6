from django.urls import path, re_path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="insights_dashboard"),
    path("network/", views.network_dashboard, name="network_dashboard"),
    path("report.pdf", views.report, name="insights_report"),
    path("export/all.xlsx", views.export_all, name="insights_export_all"),
    re_path(r"^export/(?P<table_key>[a-z_]+\.[a-z_]+)\.(?P<fmt>csv|xlsx)$", views.export_table,
            name="insights_export"),
    re_path(r"^charts/(?P<chart_key>[a-z_]+\.[a-z_]+)\.svg$", views.chart, name="insights_chart"),
    re_path(r"^people/(?P<panel_key>[a-z_]+)/(?P<figure>[a-z_]+(?::[a-z0-9_\-]+)*)/$", views.people,
            name="insights_people"),
]
