"""The site admin reads the whole access log and the change history; nobody edits them.

Confidential notes and their history are deliberately not in the admin: the admin can neither ask
for a reason nor write the access-log row the person sees, so the only way to read them is the
records page (`/records/<user id>/`), which does both.
"""

from django.contrib import admin

from mentora.programs.models import Membership
from mentora.relationships.models import Relationship

from .models import AccessLog


class ReadOnlyAdmin(admin.ModelAdmin):
    # Logs only grow: the list counts them once for its pages, not again for a "N total" beside it.
    show_full_result_count = False

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


def _history_admin(model):
    @admin.register(model)
    class HistoryAdmin(ReadOnlyAdmin):
        list_display = ["history_date", "history_type", "history_user", "history_object"]
        list_filter = ["history_type", "history_date"]
        date_hierarchy = "history_date"

    return HistoryAdmin


for _model in (Relationship.history.model, Membership.history.model):
    _history_admin(_model)
