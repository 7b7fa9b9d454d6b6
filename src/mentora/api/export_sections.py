from mentora.core.export_registry import person_section, rows

from .models import ApiToken


@person_section("api_tokens", models=["api.ApiToken"])
def api_tokens(user):
    """Which tokens exist and when they were used; never their hashes."""
    return rows(ApiToken.objects.filter(user=user), exclude=["user_id", "token_hash"])
