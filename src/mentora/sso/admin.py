from django.contrib import admin

from .models import InstitutionSignOn


@admin.register(InstitutionSignOn)
class InstitutionSignOnAdmin(admin.ModelAdmin):
    list_display = ["institution", "app", "allow_signup", "is_enabled"]
    list_select_related = ["institution", "app"]
    autocomplete_fields = []
