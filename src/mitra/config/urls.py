from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path

from mitra.config.api import api

# The operators' admin signs in through allauth, with its rate limits and two-factor step, never with
# Django's bare password form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]


def _email_addresses_are_managed_by_admins(request: HttpRequest) -> HttpResponse:
    """A person's e-mail address is their identity across organisations (invitations, owners, the security
    log), so nobody changes their own to an unverified address; allauth's e-mail page is closed."""
    raise Http404


urlpatterns = [
    path("", include("mitra.web.urls")),
    path("", include("mitra.accounts.urls")),
    path("", include("mitra.partnerships.urls")),
    path("", include("mitra.commitments.urls")),
    path("", include("mitra.cases.urls")),
    path("", include("mitra.value.urls")),
    path("", include("mitra.moments.urls")),
    path("", include("mitra.pulse.urls")),
    path("", include("mitra.improvement.urls")),
    path("", include("mitra.risks.urls")),
    path("", include("mitra.plans.urls")),
    path("", include("mitra.threads.urls")),
    path("", include("mitra.health.urls")),
    path("", include("mitra.planning.urls")),
    path("", include("mitra.transfer.urls")),
    path("", include("mitra.reviews.urls")),
    path("accounts/email/", _email_addresses_are_managed_by_admins, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# Error pages in Mitra's layout (mitra.web): a foreign record's URL shows "not found" like a missing one.
handler404 = "mitra.web.views.not_found"
handler500 = "mitra.web.views.server_error"
