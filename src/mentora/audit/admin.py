"""The site admin reads the whole access log and the change history; nobody edits them."""

from django.contrib import admin

from mentora.programs.models import Membership
from mentora.relationships.models import Relationship

from .models import AccessLog, ConfidentialNote


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_name", "actor_role", "subject", "reason"]
    list_filter = ["created_at"]
    search_fields = ["actor_name", "subject__email", "subject__full_name", "reason"]
    date_hierarchy = "created_at"


@admin.register(ConfidentialNote)
class ConfidentialNoteAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "subject", "author"]


def _history_admin(model):
    @admin.register(model)
    class HistoryAdmin(ReadOnlyAdmin):
        list_display = ["history_date", "history_type", "history_user", "history_object"]
        list_filter = ["history_type", "history_date"]
        date_hierarchy = "history_date"

    return HistoryAdmin


for _model in (ConfidentialNote.history.model, Relationship.history.model, Membership.history.model):
    _history_admin(_model)
