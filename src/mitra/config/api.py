"""The REST API at /api/v1/: routers of each domain app, one error shape, Bearer token or session auth."""

from __future__ import annotations

from ninja import NinjaAPI

from mitra.accounts.api import router as accounts_router
from mitra.cases.api import router as cases_router
from mitra.commitments.api import router as commitments_router
from mitra.core.api import BearerToken, Session, install_error_handlers
from mitra.health.api import router as health_router
from mitra.improvement.api import router as improvement_router
from mitra.moments.api import router as moments_router
from mitra.partnerships.api import router as partnerships_router
from mitra.planning.api import router as planning_router
from mitra.plans.api import router as plans_router
from mitra.pulse.api import router as pulse_router
from mitra.reviews.api import router as reviews_router
from mitra.risks.api import router as risks_router
from mitra.threads.api import router as threads_router
from mitra.transfer.api import router as transfer_router
from mitra.value.api import router as value_router

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
api.add_router("", commitments_router)
api.add_router("", cases_router)
api.add_router("", value_router)
api.add_router("", moments_router)
api.add_router("", pulse_router)
api.add_router("", improvement_router)
api.add_router("", risks_router)
api.add_router("", plans_router)
api.add_router("", threads_router)
api.add_router("", health_router)
api.add_router("", planning_router)
api.add_router("", transfer_router)
api.add_router("", reviews_router)
