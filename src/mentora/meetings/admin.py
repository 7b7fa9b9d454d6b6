"""Admin for what coordinators and admins configure. Private notes are deliberately not registered."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import Resource, SurveyForm


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    """Documents are uploaded on the library page (which checks their content); here they are only linked."""

    list_display = ("title", "topic", "program", "network")
    list_filter = ("topic",)
    search_fields = ("title", "description")
    exclude = ("document",)
    readonly_fields = ("document_link", "document_kind")

    @admin.display(description="Document")
    def document_link(self, resource):
        if not resource.document:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("meetings:resource_document", args=[resource.pk]),
                           resource.document_name or "document")


@admin.register(SurveyForm)
class SurveyFormAdmin(admin.ModelAdmin):
    list_display = ("program", "every_months", "updated_at")
