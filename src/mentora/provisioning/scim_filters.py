"""SCIM filters (RFC 7644 §3.4.2.2) on the institution's records, as django-scim2 runs them: the filter
is turned into SQL by scim2-filter-parser with this attribute map, limited to the calling institution."""

from django_scim.filters import FilterQuery

from .models import ScimGroup, ScimUser


def scim_user_model():
    return ScimUser


def scim_group_model():
    return ScimGroup


class _InstitutionScoped(FilterQuery):
    @classmethod
    def get_raw_args(cls, q, request=None):
        """The filter's own condition in parentheses, AND the calling institution (the library would
        append "AND ..." after an "a OR b" condition, which binds to b only)."""
        institution = getattr(request, "scim_institution", None)
        sql = q.sql.rstrip().rstrip(";")
        head, where, condition = sql.partition("\n    WHERE ")
        if not where:
            raise ValueError("filter without a condition")
        sql = f"{head}\n    WHERE ({condition}) AND {cls.table_name()}.institution_id = %s;"
        return sql, [*q.params, institution.pk if institution else -1]


class UserFilter(_InstitutionScoped):
    model_getter = scim_user_model
    attr_map = {
        ("userName", None, None): "provisioning_scimuser.user_name",
        ("externalId", None, None): "provisioning_scimuser.external_id",
        ("active", None, None): "provisioning_scimuser.active",
        ("emails", None, None): "accounts_user.email",
        ("emails", "value", None): "accounts_user.email",
        ("displayName", None, None): "accounts_user.full_name",
        ("name", "formatted", None): "accounts_user.full_name",
    }
    joins = ("INNER JOIN accounts_user ON accounts_user.id = provisioning_scimuser.user_id",)


class GroupFilter(_InstitutionScoped):
    model_getter = scim_group_model
    attr_map = {
        ("displayName", None, None): "provisioning_scimgroup.display_name",
        ("externalId", None, None): "provisioning_scimgroup.external_id",
    }
