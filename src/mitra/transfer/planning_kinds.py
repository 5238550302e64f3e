"""The planning tables (items, locations, sell-out, stock, open orders) as import kinds.

They keep the planning app's column-wise loader (``mitra.planning.loading``), which checks and writes
hundreds of thousands of rows set-based; this module only puts it behind the common import machinery, so
the same page, API, command and EDI messages reach it.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mitra.core.rows import RowError, RowErrors
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership
from mitra.planning import loading
from mitra.transfer.kinds import Column, ImportKind, KindReport, register

_LABELS = {
    "supplier_sku": (_("Supplier SKU"), ("kode_barang_pemasok", "vendor_sku", "supplier_item")),
    "customer_sku": (_("Customer SKU"), ("kode_barang_pelanggan", "article", "customer_item")),
    "name": (_("Name"), ("nama", "description", "item_name")),
    "unit": (_("Unit"), ("satuan", "uom")),
    "case_pack": (_("Case pack"), ("isi_karton", "pack")),
    "lead_time_days": (_("Lead time (days)"), ("lead_time",)),
    "min_order": (_("Minimum order"), ("moq",)),
    "weekly_capacity": (_("Weekly capacity"), ("capacity",)),
    "lifecycle": (_("Life cycle"), ("status",)),
    "code": (_("Code"), ("kode", "location_code")),
    "kind": (_("Kind"), ("jenis", "type")),
    "city": (_("City"), ("kota",)),
    "sku": (_("SKU"), ("item", "kode_barang", "article", "gtin")),
    "location": (_("Location"), ("lokasi", "store", "dc", "warehouse", "gudang")),
    "period": (_("Period"), ("week", "date", "minggu", "tanggal")),
    "quantity": (_("Quantity"), ("qty", "jumlah", "units")),
    "as_of": (_("As of"), ("date", "tanggal", "snapshot_date")),
    "on_hand": (_("On hand"), ("stock", "stok", "qty_on_hand")),
    "in_transit": (_("In transit"), ("dalam_perjalanan",)),
    "number": (_("Order number"), ("order", "po", "po_number", "nomor_pesanan")),
    "due_date": (_("Due date"), ("delivery_date", "tanggal_kirim")),
}


class PlanningKind(ImportKind):
    def __init__(self, spec: loading.Kind, description: Promise | str) -> None:
        self.name = spec.name
        self.label = spec.label
        self.description = description
        self.columns = tuple(
            Column(name, _LABELS[name][0], required=name in spec.required, synonyms=_LABELS[name][1])
            for name in (*spec.required, *spec.optional)
        )
        self.key = spec.required[:1]

    def load(
        self,
        actor: Actor,
        partnership: Partnership,
        rows: list[dict[str, str]],
        lines: list[int],
        *,
        dry_run: bool,
    ) -> KindReport:
        try:
            report = loading.load(self.name, partnership.pk, rows, first_row=1, dry_run=dry_run)
        except RowErrors as exc:
            raise RowErrors(
                [
                    RowError(lines[e.row - 1] if 0 < e.row <= len(lines) else e.row, e.column, e.message)
                    for e in exc.rows
                ],
                total=exc.total,
            ) from exc
        return KindReport(
            kind=self.name,
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            # the loader previews its own frame (ids); show the rows as written, with the action
            preview=[
                {**row, "action": shown.get("action", "")}
                for row, shown in zip(rows, report.preview, strict=False)
            ],
        )


DESCRIPTIONS = {
    "items": _(
        "The items both partners plan: both SKUs, unit, case pack, lead time. Matched on the supplier SKU."
    ),
    "locations": _("Stores and distribution centres. Matched on the code."),
    "sell_out": _(
        "Sales to consumers per item, location and week (or day). Matched on item, location and period."
    ),
    "stock": _("Stock on hand per item and location on a date. Matched on item, location and date."),
    "open_orders": _("Orders placed and not yet delivered. Matched on the order number and item."),
}

for _spec in loading.KINDS.values():
    register(PlanningKind(_spec, DESCRIPTIONS[_spec.name]))
