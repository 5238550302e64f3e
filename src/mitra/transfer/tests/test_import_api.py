"""The imports API: a multipart upload checked and written in one call (200, or 422 listing every bad row with
nothing written), the list and status of imports, and checking or committing an uploaded file again (202
when the job worker takes it); viewers, non-admins and strangers are refused."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests import factories as f

from mitra.accounts import services as accounts
from mitra.moments.models import Touchpoint
from mitra.partnerships.models import Contact
from mitra.transfer import importing, tasks
from mitra.transfer.models import ImportRun, ImportStatus

pytestmark = pytest.mark.django_db

GOOD = b"Surat Jalan,Promised date,Actual date,Ordered quantity,qty delivered\nSJ/1,2026-10-01,2026-10-01,100,100\nSJ/2,2026-10-02,2026-10-05,100,90\n"
BAD = (
    b"Surat Jalan,Promised date,Actual date,Ordered quantity,qty delivered\n"
    b"SJ/1,2026-10-01,besok,100,100\nSJ/2,2026-10-02,2026-10-05,100,90\nSJ/3,2026-10-03,2026-10-03,-5,50\n"
)


def url(world, tail: str = "") -> str:
    return f"/api/v1/partnerships/{world.partnership.pk}/imports{tail}"


def bearer(membership) -> dict[str, str]:
    _token, raw = accounts.api_token_create(f.actor(membership), name="erp")
    return {"Authorization": f"Bearer {raw}", "Accept-Language": "en"}


def post_file(client, world, who, data: bytes, kind: str = "deliveries", name: str = "d.csv", **fields):
    form = {"kind": kind, "file": SimpleUploadedFile(name, data), **fields}
    return client.post(url(world), form, headers=bearer(who))


def deliveries(world) -> int:
    return Touchpoint.objects.filter(partnership=world.partnership, kind="delivery").count()


def test_a_dry_run_previews_a_commit_writes_and_the_same_file_again_writes_nothing(client, world):
    checked = post_file(client, world, world.supplier_member, GOOD, dry_run="true")
    assert checked.status_code == 200, checked.content
    body = checked.json()
    assert (body["kind"], body["status"], body["errors"]) == ("deliveries", "checked", [])
    assert body["report"]["dry_run"] is True and body["report"]["created"] == 2
    assert [r["action"] for r in body["report"]["kinds"][0]["preview"]] == ["create", "create"]
    assert body["mapping"]["reference"] == "Surat Jalan" and deliveries(world) == 0

    done = post_file(client, world, world.supplier_member, GOOD)
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert done.json()["report"]["created"] == 2 and deliveries(world) == 2

    again = post_file(client, world, world.supplier_member, GOOD, dry_run="false")
    report = again.json()["report"]
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 2)
    assert deliveries(world) == 2


def test_every_bad_row_is_a_422_and_nothing_is_written(client, world):
    response = post_file(client, world, world.supplier_member, BAD)
    assert response.status_code == 422
    body = response.json()
    assert {(r["row"], r["column"]) for r in body["rows"]} == {(2, "actual_date"), (4, "promised_quantity")}
    assert body["error_total"] == 2 and body["code"] == "invalid_rows"
    assert {e["field"] for e in body["errors"]} == {"row 2.actual_date", "row 4.promised_quantity"}
    run = ImportRun.objects.get(pk=body["run_id"])
    assert run.status == ImportStatus.FAILED and deliveries(world) == 0
    # the same in XLSX
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in BAD.decode().splitlines():
        sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    xlsx = post_file(client, world, world.supplier_member, out.getvalue(), name="d.xlsx")
    assert xlsx.status_code == 422 and len(xlsx.json()["rows"]) == 2 and deliveries(world) == 0


def test_an_unreadable_file_and_bad_form_fields_are_422(client, world):
    old = post_file(
        client, world, world.supplier_member, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xx", name="old.xls"
    )
    assert old.status_code == 422 and old.json()["rows"][0]["column"] == "file"
    assert old.json()["run_id"] is None
    response = client.post(
        url(world), {"mapping": "[1]", "dry_run": "maybe"}, headers=bearer(world.supplier_member)
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"kind", "file", "mapping", "dry_run"}
    unknown = post_file(client, world, world.supplier_member, GOOD, kind="nothing")
    assert unknown.status_code == 422 and "Unknown kind of import" in unknown.json()["detail"]
    assert ImportRun.objects.count() == 0


def test_a_mapping_names_some_columns_and_the_rest_are_guessed(client, world):
    data = (
        b"Dokumen,Promised date,Actual date,Ordered quantity,qty delivered\nSJ/1,2026-10-01,2026-10-01,1,1\n"
    )
    missing = post_file(client, world, world.supplier_member, data)
    assert missing.status_code == 422 and missing.json()["rows"][0]["column"] == "reference"
    response = post_file(
        client, world, world.supplier_member, data, mapping=json.dumps({"reference": "Dokumen"}), dry_run="1"
    )
    assert response.status_code == 200, response.content
    assert response.json()["mapping"] == {
        "reference": "Dokumen",
        "promised_date": "Promised date",
        "actual_date": "Actual date",
        "promised_quantity": "Ordered quantity",
        "delivered_quantity": "qty delivered",
    }


def test_another_tenants_department_is_a_row_error(client, world):
    f.DepartmentFactory(organisation=world.foreign, name="Gudang Lain")
    data = b"name,email,department\nAni,ani@sumber.test,Sales\nBudi,budi@sumber.test,Gudang Lain\n"
    response = post_file(client, world, world.supplier_member, data, kind="contacts")
    assert response.status_code == 422
    assert [(r["row"], r["column"]) for r in response.json()["rows"]] == [(3, "department")]
    assert Contact.objects.count() == 0


def test_list_status_check_and_commit_of_an_uploaded_file(client, world):
    actor = f.actor(world.supplier_member)
    run = importing.import_upload(
        actor, partnership_id=world.partnership.pk, kind="deliveries", data=GOOD, filename="d.csv"
    )
    headers = bearer(world.supplier_member)
    listed = client.get(url(world), headers=headers).json()
    assert listed["count"] == 1 and listed["items"][0]["status"] == "uploaded"
    status = client.get(url(world, f"/{run.pk}"), headers=headers).json()
    assert status["report"] is None and status["headers"][0] == "Surat Jalan"

    checked = client.post(url(world, f"/{run.pk}/check"), headers=headers)
    assert checked.status_code == 200 and checked.json()["status"] == "checked" and deliveries(world) == 0
    committed = client.post(url(world, f"/{run.pk}/commit"), headers=headers)
    assert committed.status_code == 200 and committed.json()["report"]["created"] == 2
    assert deliveries(world) == 2

    # the partner sees none of our imports
    partner = bearer(world.customer_admin)
    assert client.get(url(world), headers=partner).json()["count"] == 0
    assert client.get(url(world, f"/{run.pk}"), headers=partner).status_code == 404
    assert client.post(url(world, f"/{run.pk}/commit"), headers=partner).status_code == 404


def test_a_failed_check_is_422_with_the_run(client, world):
    run = importing.import_upload(
        f.actor(world.supplier_member),
        partnership_id=world.partnership.pk,
        kind="deliveries",
        data=BAD,
        filename="d.csv",
    )
    response = client.post(url(world, f"/{run.pk}/commit"), headers=bearer(world.supplier_member))
    assert response.status_code == 422 and response.json()["run_id"] == run.pk
    assert len(response.json()["rows"]) == 2 and deliveries(world) == 0


def test_a_large_file_is_queued_with_202_and_polled_until_done(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    run = importing.import_upload(
        f.actor(world.supplier_member),
        partnership_id=world.partnership.pk,
        kind="deliveries",
        data=GOOD,
        filename="d.csv",
    )
    monkeypatch.setattr(importing, "INLINE_ROWS", 1)
    task = tasks.run_import
    queued: list[tuple[int, ...]] = []
    monkeypatch.setattr(tasks, "run_import", SimpleNamespace(enqueue=lambda *args: queued.append(args)))
    headers = bearer(world.supplier_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world, f"/{run.pk}/commit"), headers=headers)
    assert response.status_code == 202 and response.json()["status"] == "queued"
    assert queued == [(run.pk, 0)]
    busy = client.post(url(world, f"/{run.pk}/check"), headers=headers)
    assert busy.status_code == 409
    task.call(run.pk, 0)
    done = client.get(url(world, f"/{run.pk}"), headers=headers).json()
    assert (done["status"], done["progress"], done["report"]["created"]) == ("done", 100, 2)
    assert deliveries(world) == 2


def test_viewers_non_admins_and_strangers_are_refused(client, world):
    viewer = post_file(client, world, world.supplier_viewer, GOOD)
    assert viewer.status_code == 403
    members = post_file(
        client, world, world.supplier_member, b"email,department\nnew@sumber.test,Sales\n", kind="members"
    )
    assert members.status_code == 403
    stranger = bearer(world.foreign_admin)
    assert post_file(client, world, world.foreign_admin, GOOD).status_code == 404
    assert client.get(url(world), headers=stranger).status_code == 404
    assert ImportRun.objects.count() == 0 and deliveries(world) == 0
    admin = post_file(
        client, world, world.supplier_admin, b"email,department\nnew@sumber.test,Sales\n", kind="members"
    )
    assert admin.status_code == 200, admin.content
