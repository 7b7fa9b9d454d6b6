"""Admin for what coordinators and admins configure. Private notes are deliberately not registered."""

from django.contrib import admin

from .models import Resource, SurveyForm


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("title", "topic", "program")
    list_filter = ("topic",)
    search_fields = ("title", "description")


@admin.register(SurveyForm)
class SurveyFormAdmin(admin.ModelAdmin):
    list_display = ("program", "every_months", "updated_at")
