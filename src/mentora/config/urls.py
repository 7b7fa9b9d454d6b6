from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# The admin logs in through allauth: its rate limits (lockout after failed attempts) and MFA apply.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("mentora.home.urls")),
    path("people/", include("mentora.profiles.urls")),
    path("first-steps/", include("mentora.onboarding.urls")),
    path("insights/", include("mentora.insights.urls")),
    path("scholarly/", include("mentora.scholarly.urls")),
    path("notifications/", include("mentora.notifications.urls")),
    path("conflicts/", include("mentora.conflicts.urls")),
    path("mentoring/", include("mentora.meetings.urls")),
    path("relationships/", include("mentora.relationships.urls")),
    path("ilps/", include("mentora.ilps.urls")),
    path("milestones/", include("mentora.milestones.urls")),
    path("", include("mentora.privacy.urls")),  # /privacy/... and /people/me/privacy/
    path("rollover/", include("mentora.rollover.urls")),
    path("portfolio/", include("mentora.portfolio.urls")),
    path("find/", include("mentora.directory.urls")),
    path("match/", include("mentora.batchmatch.urls")),
    path("accounts/", include("allauth.urls")),
    path("sso/", include("mentora.sso.urls")),
    path("scim/v2/", include("mentora.provisioning.urls")),  # SCIM 2.0 provisioning (django-scim2)
    path("api/", include("mentora.config.api")),
    path("account/tokens/", include("mentora.api.page_urls")),
    path("", include("mentora.dataio.urls")),  # /data/... and /programs/<id>/people/add/
    path("programs/", include("mentora.programs.urls")),
    path("records/", include("mentora.audit.urls")),
    path("background/", include("mentora.background.urls")),
    path("webhooks/", include("mentora.webhooks.urls")),
    path("console/", include("mentora.console.urls")),
    path("admin/", admin.site.urls),
]
