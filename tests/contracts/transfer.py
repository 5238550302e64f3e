"""Data in and out's part of the isolation and API-fuzz tests: the import pages and operations.

``seed`` uploads a small contacts file as the supplier's admin (an import waiting to be checked); the
stranger aims at it. The upload operation takes a multipart form, read by the view itself so that the access
check answers before a missing file does: a stranger gets 404 whatever the body.
"""

from __future__ import annotations

from typing import Any

from mitra.transfer import importing
from tests import factories as f

_p = lambda i: {"pk": i["partnership"]}  # noqa: E731
_run = lambda i: {"pk": i["partnership"], "run_id": i["import_run"]}  # noqa: E731
TENANT_PAGES = {
    "transfer:imports": _p,
    "transfer:import_template": _p,
    "transfer:import_run": _run,
    "transfer:import_map": _run,
    "transfer:import_check": _run,
    "transfer:import_commit": _run,
    "transfer:import_status": _run,
}

API_PATH_IDS = {"run_id": "import_run"}

CONTACTS = b"name,email,department\nAni Wijaya,ani@sumber.test,Sales\nBudi Hartono,budi@sumber.test,\n"


def seed(world: Any) -> dict[str, int]:
    run = importing.import_upload(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        kind="contacts",
        data=CONTACTS,
        filename="contacts.csv",
    )
    return {"import_run": run.pk}


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    """As the supplier admin (the fuzzer)."""
    path = {"partnership_id": world.partnership.pk}
    run = {**path, "run_id": ids["import_run"]}
    return {
        # A file goes as multipart/form-data (the fuzz test sends hand-made bodies as JSON unless told).
        "transfer_import_create": {
            "path": path,
            "body": {
                "kind": "contacts",
                "file": b"name,email\nCici Lestari,cici@sumber.test\n",
                "dry_run": "true",
            },
            "media_type": "multipart/form-data",
        },
        "transfer_import_list": {"path": path, "query": {"limit": 5}},
        "transfer_import_get": {"path": run},
        "transfer_import_check": {"path": run},
        "transfer_import_commit": {"path": run},
    }
