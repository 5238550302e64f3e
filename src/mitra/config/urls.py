from django.contrib import admin
from django.urls import include, path

from mitra.config.api import api

urlpatterns = [
    path("", include("mitra.web.urls")),
    path("", include("mitra.accounts.urls")),
    path("", include("mitra.partnerships.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# Error pages in Mitra's layout (mitra.web): a foreign record's URL shows "not found" like a missing one.
handler404 = "mitra.web.views.not_found"
handler500 = "mitra.web.views.server_error"
