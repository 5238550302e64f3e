"""The REST API at /api/v1/: routers of each domain app, one error shape, Bearer token or session auth."""

from __future__ import annotations

from ninja import NinjaAPI

from mitra.accounts.api import router as accounts_router
from mitra.core.api import BearerToken, Session, install_error_handlers
from mitra.partnerships.api import router as partnerships_router

api = NinjaAPI(
    title="Mitra API",
    version="1",
    description=(
        "The partnership operating system. Authenticate with `Authorization: Bearer <token>` "
        "(create one under Organisation → API tokens, or `mitra token create --email …`) or a signed-in session. "
        "Errors are JSON: `{detail, code, errors: [{field, message}]}`."
    ),
    auth=[BearerToken(), Session()],
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", partnerships_router)
