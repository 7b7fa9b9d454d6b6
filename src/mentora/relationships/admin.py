from django.contrib import admin

from .models import Relationship


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "kind", "status", "source", "program"]
    list_filter = ["kind", "status", "source"]
    raw_id_fields = ["mentee", "mentor", "program", "network"]
    search_fields = ["mentee__email", "mentor__email"]
