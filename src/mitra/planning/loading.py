"""Planning data in: items, locations, sell-out, stock and open orders, from CSV files or API rows.

Every load is all-or-nothing and idempotent. All rows are checked first, and every bad row is reported
with its row number (as in the file: the header is row 1) and column; if any row is bad nothing is written.
Rows are matched on natural keys (SKU, location code, period, order number), so loading the same file
again writes nothing new. Validation is column-wise (pandas), not a Python loop over rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mitra.core.errors import Invalid
from mitra.core.rows import RowError, RowErrors
from mitra.planning.io import series_ids
from mitra.planning.models import Item, Lifecycle, Location, LocationKind, OpenOrder, SellOut, StockPosition

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 500_000
MAX_NUMBER = 1_000_000_000  # a quantity or a number of days beyond this is a typing error


@dataclass(frozen=True)
class Kind:
    """One kind of planning data: its columns (required first), its model and natural key."""

    name: str
    label: Any
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "items",
            gettext_lazy("Items"),
            ("supplier_sku", "customer_sku", "name"),
            ("unit", "case_pack", "lead_time_days", "min_order", "weekly_capacity", "lifecycle"),
        ),
        Kind("locations", gettext_lazy("Locations"), ("code", "name"), ("kind", "city")),
        Kind("sell_out", gettext_lazy("Sell-out history"), ("sku", "location", "period", "quantity")),
        Kind(
            "stock", gettext_lazy("Stock positions"), ("sku", "location", "as_of", "on_hand"), ("in_transit",)
        ),
        Kind(
            "open_orders",
            gettext_lazy("Open orders"),
            ("number", "sku", "location", "quantity", "due_date"),
        ),
    )
}


@dataclass
class LoadReport:
    """What a load did (or, on a dry run, would do)."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    preview: list[dict[str, Any]] = field(default_factory=list)


# ---- reading ------------------------------------------------------------------------------------------


def read_csv(data: bytes, kind: str) -> list[dict[str, str]]:
    """A CSV file's rows as dicts of text (BOM, ``;`` or ``,`` separated). Refuses oversized files."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise RowErrors(
            [
                RowError(
                    0,
                    "file",
                    _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
                )
            ]
        )
    if b"\x00" in data:
        raise RowErrors([RowError(0, "file", _("The file contains NUL characters: it is not a text file."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RowErrors([RowError(0, "file", _("The file is not UTF-8 text."))]) from exc
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    spec = KINDS[kind]
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in spec.required if c not in header and not (c == "sku" and _sku_column(header))]
    if missing:
        raise RowErrors(
            [RowError(1, c, _("The column %(column)s is missing.") % {"column": c}) for c in missing]
        )
    reader.fieldnames = header
    rows = []
    for number, row in enumerate(reader, start=2):
        if None in row:
            raise RowErrors([RowError(number, "file", _("This row has more values than the header."))])
        rows.append({k: (v or "").strip() for k, v in row.items()})
        if len(rows) > MAX_ROWS:
            raise RowErrors([RowError(0, "file", _("The file has more than %(n)s rows.") % {"n": MAX_ROWS})])
    return rows


def _sku_column(columns: Iterable[str]) -> str | None:
    columns = list(columns)
    for name in ("sku", "supplier_sku", "customer_sku"):
        if name in columns:
            return name
    return None


# ---- checking -----------------------------------------------------------------------------------------


class Checker:
    """Column-wise checks that collect row errors: row numbers start at ``first_row``."""

    def __init__(self, rows: Sequence[Mapping[str, Any]], columns: Iterable[str], first_row: int) -> None:
        frame = pd.DataFrame.from_records(list(rows), columns=list(columns)).astype(object)
        # every value as stripped text (API rows may hold numbers); None → ""
        self.frame = pd.DataFrame(
            {c: frame[c].where(frame[c].notna(), "").astype(str).str.strip() for c in frame.columns},
            index=frame.index,
        )
        self.rows = np.arange(first_row, first_row + len(self.frame))
        self.errors: list[RowError] = []

    def flag(self, bad: Any, column: str, message: str) -> None:
        bad = np.asarray(bad, dtype=bool)
        self.errors.extend(RowError(int(r), column, message) for r in self.rows[bad])

    def text(self, column: str, *, required: bool = True, max_length: int = 200) -> pd.Series:
        values = self.frame[column].astype(str) if column in self.frame else pd.Series([""] * len(self.frame))
        if required:
            self.flag(values.str.len() == 0, column, _("A value is required."))
        self.flag(values.str.len() > max_length, column, _("At most %(n)s characters.") % {"n": max_length})
        return values

    def number(
        self,
        column: str,
        *,
        required: bool = True,
        default: float | None = None,
        integer: bool = False,
        positive: bool = False,
        maximum: float = 0.0,
    ) -> pd.Series:
        raw = self.frame[column] if column in self.frame else pd.Series([""] * len(self.frame), dtype=object)
        blank = raw.astype(str).str.len() == 0
        values = pd.to_numeric(raw.where(~blank, np.nan), errors="coerce")
        bad_number = values.isna() & ~blank
        self.flag(bad_number, column, _("Write a number."))
        if required:
            self.flag(blank, column, _("A value is required."))
        ok = values.notna()
        self.flag(ok & ~np.isfinite(values.fillna(0)), column, _("Write a number."))
        self.flag(ok & (values < 0), column, _("The number cannot be negative."))
        if positive:
            self.flag(ok & (values == 0), column, _("The number must be above zero."))
        if integer:
            self.flag(ok & (values != values.round()), column, _("Write a whole number."))
        top = maximum or MAX_NUMBER
        self.flag(
            ok & np.isfinite(values.fillna(0)) & (values > top),
            column,
            _("At most %(max)s.") % {"max": f"{top:,.0f}"},
        )
        if default is not None:
            values = values.where(~blank, default)
        return values

    def day(self, column: str) -> pd.Series:
        raw = self.frame[column].astype(str)
        values = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
        self.flag(raw.str.len() == 0, column, _("A value is required."))
        self.flag(values.isna() & (raw.str.len() > 0), column, _("Write the date as YYYY-MM-DD."))
        return values

    def choice(self, column: str, choices: Sequence[str], default: str) -> pd.Series:
        values = self.text(column, required=False).str.lower().replace("", default)
        self.flag(
            ~values.isin(list(choices)),
            column,
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)},
        )
        return values

    def reference(self, column: str, values: pd.Series, known: Mapping[str, int], what: str) -> pd.Series:
        """Ids of the records the values name; a value naming nothing of this partnership (another
        partnership's record included) is a row error."""
        ids = values.map(known)
        bad = (ids.isna() & (values.str.len() > 0)).to_numpy()
        self.errors.extend(
            RowError(
                int(row),
                column,
                _("No %(what)s “%(value)s” in this partnership.") % {"what": what, "value": value},
            )
            for row, value in zip(self.rows[bad], values[bad], strict=True)
        )
        return ids

    def duplicates(self, keys: pd.DataFrame, column: str) -> None:
        self.flag(keys.duplicated(keep="first"), column, _("This row repeats an earlier row's key."))

    def raise_if_bad(self) -> None:
        if self.errors:
            self.errors.sort(key=lambda e: (e.row, e.column))
            raise RowErrors(self.errors)


# ---- loading ------------------------------------------------------------------------------------------


def _sku_map(partnership_id: int) -> tuple[dict[str, int], dict[str, int]]:
    items = Item.objects.filter(partnership_id=partnership_id).values_list(
        "id", "supplier_sku", "customer_sku"
    )
    return {s: i for i, s, _c in items}, {c: i for i, _s, c in items}


def _item_ids(check: Checker, rows_columns: Sequence[str], partnership_id: int) -> pd.Series:
    """The item of each row from its ``sku`` (either side's SKU), ``supplier_sku`` or ``customer_sku``."""
    column = _sku_column(rows_columns) or "sku"
    by_supplier, by_customer = _sku_map(partnership_id)
    values = check.text(column, max_length=64)
    if column == "supplier_sku":
        known = by_supplier
    elif column == "customer_sku":
        known = by_customer
    else:
        known = {**by_customer, **by_supplier}
        # one item's supplier SKU that is another item's customer SKU: say which side's SKU is meant
        clash = {sku for sku, item in by_supplier.items() if by_customer.get(sku, item) != item}
        check.flag(
            values.isin(list(clash)),
            column,
            _(
                "This SKU is one item's supplier SKU and another's customer SKU: name the column "
                "supplier_sku or customer_sku."
            ),
        )
    return check.reference(column, values, known, _("item"))


def _location_ids(check: Checker, partnership_id: int) -> pd.Series:
    known = dict(Location.objects.filter(partnership_id=partnership_id).values_list("code", "id"))
    return check.reference("location", check.text("location", max_length=32), known, _("location"))


def _diff(
    incoming: pd.DataFrame, existing: pd.DataFrame, keys: list[str], values: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """New rows, changed rows (with the existing ``id``) and the count of unchanged rows."""
    merged = incoming.merge(existing, on=keys, how="left", suffixes=("", "_old"), indicator=True)
    new = merged[merged["_merge"] == "left_only"]
    old = merged[merged["_merge"] == "both"]
    same = np.ones(len(old), dtype=bool)
    for v in values:
        a, b = old[v], old[f"{v}_old"]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            equal = np.isclose(a.astype(float), b.astype(float), equal_nan=True)
        else:
            equal = (a.astype(str).fillna("") == b.astype(str).fillna("")).to_numpy()
        same &= np.asarray(equal, dtype=bool)
    return new, old[~same], int(same.sum())


def _existing(model: Any, partnership_id: int, columns: list[str], **filters: Any) -> pd.DataFrame:
    rows = model.objects.filter(partnership_id=partnership_id, **filters).values_list("id", *columns)
    return pd.DataFrame.from_records(list(rows), columns=["id", *columns])


def _as_day(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.date


def prepare(kind: str, partnership_id: int, rows: Sequence[Mapping[str, Any]], first_row: int) -> Any:
    """Check every row of ``kind``; raise ``RowErrors`` listing all bad rows, else return the plan: the
    model, new rows, changed rows, the unchanged count and a preview."""
    if kind not in KINDS:
        raise Invalid({"kind": [_("Unknown kind of planning data: %(kind)s.") % {"kind": kind}]})
    if not rows:
        raise RowErrors([RowError(0, "file", _("There are no rows to load."))])
    rows = [{str(k).strip().lower(): v for k, v in r.items()} for r in rows]
    columns = sorted({c for r in rows for c in r})
    missing = [
        c for c in KINDS[kind].required if c not in columns and not (c == "sku" and _sku_column(columns))
    ]
    if missing:
        raise RowErrors(
            [
                RowError(first_row - 1, c, _("The column %(column)s is missing.") % {"column": c})
                for c in missing
            ]
        )
    check = Checker(rows, columns, first_row)
    model: Any
    if kind == "items":
        frame = pd.DataFrame(
            {
                "supplier_sku": check.text("supplier_sku", max_length=64),
                "customer_sku": check.text("customer_sku", max_length=64),
                "name": check.text("name"),
                "unit": check.text("unit", required=False, max_length=20).replace("", "pcs"),
                "case_pack": check.number(
                    "case_pack", required=False, default=1, integer=True, positive=True
                ),
                "lead_time_days": check.number("lead_time_days", required=False, default=7, integer=True),
                "min_order": check.number("min_order", required=False, default=0, integer=True),
                "weekly_capacity": check.number("weekly_capacity", required=False, integer=True),
                "lifecycle": check.choice("lifecycle", Lifecycle.values, "active"),
            }
        )
        check.duplicates(frame[["supplier_sku"]], "supplier_sku")
        check.duplicates(frame[["customer_sku"]], "customer_sku")
        by_supplier, by_customer = _sku_map(partnership_id)
        owner = frame["customer_sku"].map(by_customer)
        mine = frame["supplier_sku"].map(by_supplier)
        clash = owner.notna() & (owner != mine)
        check.flag(clash, "customer_sku", _("Another item already has this customer SKU."))
        model, keys = Item, ["supplier_sku"]
    elif kind == "locations":
        frame = pd.DataFrame(
            {
                "code": check.text("code", max_length=32),
                "name": check.text("name"),
                "kind": check.choice("kind", LocationKind.values, "store"),
                "city": check.text("city", required=False, max_length=100),
            }
        )
        check.duplicates(frame[["code"]], "code")
        model, keys = Location, ["code"]
    else:
        item = _item_ids(check, columns, partnership_id)
        location = _location_ids(check, partnership_id)
        frame = pd.DataFrame({"item_id": item, "location_id": location})
        if kind == "sell_out":
            frame["period"] = check.day("period")
            frame["quantity"] = check.number("quantity")
            keys = ["item_id", "location_id", "period"]
            model = SellOut
        elif kind == "stock":
            frame["as_of"] = check.day("as_of")
            frame["on_hand"] = check.number("on_hand")
            frame["in_transit"] = check.number("in_transit", required=False, default=0)
            keys = ["item_id", "location_id", "as_of"]
            model = StockPosition
        else:
            frame["number"] = check.text("number", max_length=64)
            frame["quantity"] = check.number("quantity", positive=True)
            frame["due_date"] = check.day("due_date")
            keys = ["number", "item_id", "location_id"]
            model = OpenOrder
        check.duplicates(
            frame[keys].astype(str), {"sell_out": "period", "stock": "as_of"}.get(kind, "number")
        )
    check.raise_if_bad()
    for c in ("period", "as_of", "due_date"):
        if c in frame:
            frame[c] = _as_day(frame[c])
    for c in ("item_id", "location_id"):
        if c in frame:
            frame[c] = frame[c].astype("int64")
    values = [c for c in frame.columns if c not in keys]
    filters: dict[str, Any] = {}
    if "period" in keys:
        filters = {"period__gte": min(frame["period"]), "period__lte": max(frame["period"])}
    elif "as_of" in keys:
        filters = {"as_of__gte": min(frame["as_of"]), "as_of__lte": max(frame["as_of"])}
    existing = _existing(model, partnership_id, keys + values, **filters)
    if "period" in existing or "as_of" in existing or "due_date" in existing:
        for c in ("period", "as_of", "due_date"):
            if c in existing:
                existing[c] = _as_day(existing[c]) if len(existing) else existing[c]
    for c in ("quantity", "on_hand", "in_transit"):
        if c in existing:
            existing[c] = existing[c].astype(float)
    new, changed, unchanged = _diff(frame, existing, keys, values)
    return model, frame, new, changed, unchanged, keys, values


def load(
    kind: str, partnership_id: int, rows: Sequence[Mapping[str, Any]], *, first_row: int = 2, dry_run: bool
) -> LoadReport:
    """Check and (unless ``dry_run``) write ``rows`` of ``kind``: all of them or none. The caller holds the
    transaction and has checked the actor may write to the partnership."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    model, frame, new, changed, unchanged, keys, values = prepare(kind, partnership_id, rows, first_row)
    report = LoadReport(
        kind=kind,
        rows=len(frame),
        created=len(new),
        updated=len(changed),
        unchanged=unchanged,
        dry_run=dry_run,
    )
    actions = pd.Series("unchanged", index=frame.index)
    actions[new.index] = "create"
    actions[changed.index] = "update"
    preview = frame.head(50).assign(action=actions.head(50)).astype(object)
    report.preview = [
        {k: (None if pd.isna(v) else (v.isoformat() if hasattr(v, "isoformat") else v)) for k, v in r.items()}
        for r in preview.to_dict("records")
    ]
    if dry_run:
        return report
    fields = keys + values

    def build(frame: pd.DataFrame, with_id: bool) -> list[models.Model]:
        records = frame[fields + (["id"] if with_id else [])].astype(object)
        records = records.where(records.notna(), None)
        stamp = (
            {"updated_at": timezone.now()} if any(f.name == "updated_at" for f in model._meta.fields) else {}
        )
        return [model(partnership_id=partnership_id, **r, **stamp) for r in records.to_dict("records")]

    history = hasattr(model, "history")
    if len(new):
        objs = build(new, with_id=False)
        if history:
            bulk_create_with_history(objs, model, batch_size=1000)
        else:
            model.objects.bulk_create(objs, batch_size=2000)
    if len(changed):
        objs = build(changed.assign(id=changed["id"].astype("int64")), with_id=True)
        if history:
            bulk_update_with_history(objs, model, values, batch_size=1000)
        else:
            model.objects.bulk_update(objs, values, batch_size=1000)
    return report


def forecast_rows(
    partnership_id: int, rows: Sequence[Mapping[str, Any]], first_row: int, side: str
) -> tuple[pd.DataFrame, pd.Series]:
    """A side's forecast rows (sku, location, period, quantity[, source]) checked like a load: every bad
    row reported. Returns the frame (series_id, period as the Monday of its week, quantity) and each
    row's source (the side's own, or ``consensus``)."""
    if not rows:
        raise RowErrors([RowError(0, "file", _("There are no rows to load."))])
    rows = [{str(k).strip().lower(): v for k, v in r.items()} for r in rows]
    columns = sorted({c for r in rows for c in r})
    missing = [c for c in ("location", "period", "quantity") if c not in columns]
    if not _sku_column(columns):
        missing.insert(0, "sku")
    if missing:
        raise RowErrors(
            [RowError(1, c, _("The column %(column)s is missing.") % {"column": c}) for c in missing]
        )
    check = Checker(rows, columns, first_row)
    item = _item_ids(check, columns, partnership_id)
    location = _location_ids(check, partnership_id)
    period = check.day("period")
    quantity = check.number("quantity")
    sources = check.choice("source", [side, "consensus"], side)
    frame = pd.DataFrame({"item": item, "location": location, "period": period, "quantity": quantity})
    check.duplicates(
        pd.concat([frame[["item", "location", "period"]], sources], axis=1).astype(str), "period"
    )
    check.raise_if_bad()
    weeks = frame["period"] - pd.to_timedelta(frame["period"].dt.day_of_week, unit="D")
    out = pd.DataFrame(
        {
            "series_id": series_ids(frame["item"], frame["location"]).to_numpy(),
            "period": weeks.astype("datetime64[ns]"),
            "quantity": frame["quantity"].astype("float64"),
        }
    )
    twice = out.assign(source=sources.to_numpy()).duplicated(["series_id", "period", "source"]).to_numpy()
    if twice.any():
        raise RowErrors(
            [
                RowError(int(row), "period", _("Two rows give the same week of the same item and location."))
                for row in check.rows[twice]
            ]
        )
    return out, sources.reset_index(drop=True)
