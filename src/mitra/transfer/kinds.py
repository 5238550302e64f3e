"""The kinds of data Mitra imports: their columns, natural keys and how their rows are written.

Every kind answers ``load(actor, partnership, rows, lines, dry_run=...)``: it checks all the rows, raises
``RowErrors`` listing every bad row (numbered by ``lines``, the rows' places in the file or the segments'
places in an EDI message) or writes them and reports what it created, updated and left unchanged. The
caller holds the transaction, so a kind may write row by row: any error rolls every row back.

Spreadsheet kinds of the workspace are django-import-export resources (``mitra.transfer.resources``); the
planning tables reuse the planning app's column-wise loader, which handles millions of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mitra.core.rows import RowError, RowErrors
from mitra.core.tenancy import Actor
from mitra.partnerships.models import Partnership

PREVIEW_ROWS = 50


@dataclass(frozen=True)
class Column:
    name: str
    label: Promise | str
    required: bool = False
    help: Promise | str = ""
    synonyms: tuple[str, ...] = ()


@dataclass
class KindReport:
    """What one kind's rows did (or, on a dry run, would do)."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    preview: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "preview": self.preview,
        }


class ImportKind:
    """One kind of import. Subclasses set the class attributes and implement ``load``."""

    name: str = ""
    label: Promise | str = ""
    description: Promise | str = ""
    columns: tuple[Column, ...] = ()
    key: tuple[str, ...] = ()
    admin_only = False

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def check_columns(self, headers: Sequence[str], header_line: int = 1) -> None:
        missing = [c for c in self.required if c not in headers]
        if missing:
            raise RowErrors(
                [
                    RowError(header_line, c, str(_("The column %(column)s is missing.") % {"column": c}))
                    for c in missing
                ]
            )

    def load(
        self,
        actor: Actor,
        partnership: Partnership,
        rows: list[dict[str, str]],
        lines: list[int],
        *,
        dry_run: bool,
    ) -> KindReport:  # pragma: no cover - abstract
        raise NotImplementedError


REGISTRY: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    REGISTRY[kind.name] = kind
    return kind


def get(name: str) -> ImportKind | None:
    _load_registry()
    return REGISTRY.get(name)


def all_kinds() -> list[ImportKind]:
    _load_registry()
    return list(REGISTRY.values())


def _load_registry() -> None:
    # The kinds register themselves when their modules are imported.
    from mitra.transfer import resources  # noqa: F401, I001  (the workspace kinds first, then the others)
    from mitra.transfer import members, planning_kinds  # noqa: F401


# ---- column mapping -------------------------------------------------------------------------------------


def normalise(header: str) -> str:
    return "_".join(header.strip().lower().replace("-", " ").replace("/", " ").replace(".", " ").split())


def guess_mapping(kind: ImportKind, headers: Sequence[str]) -> dict[str, str]:
    """Each of the kind's columns → the file's header that most likely holds it (exact name or a synonym)."""
    by_name = {normalise(h): h for h in headers if h.strip()}
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for column in kind.columns:
        for candidate in (column.name, *column.synonyms, normalise(str(column.label))):
            header = by_name.get(normalise(candidate))
            if header is not None and header not in taken:
                mapping[column.name] = header
                taken.add(header)
                break
    return mapping


def check_mapping(kind: ImportKind, headers: Sequence[str], mapping: dict[str, str]) -> None:
    """The mapping names only the kind's columns and the file's headers, each header at most once."""
    errors = []
    used: dict[str, str] = {}
    for target, source in mapping.items():
        if target not in kind.column_names:
            errors.append(
                RowError(1, target, str(_("%(column)s is not a column of this import.") % {"column": target}))
            )
        elif source and source not in headers:
            errors.append(
                RowError(1, target, str(_("The file has no column %(column)s.") % {"column": source}))
            )
        elif source and source in used:
            errors.append(
                RowError(
                    1,
                    target,
                    str(
                        _("The column %(column)s is already used for %(other)s.")
                        % {"column": source, "other": used[source]}
                    ),
                )
            )
        elif source:
            used[source] = target
    missing = [c for c in kind.required if not mapping.get(c)]
    errors += [
        RowError(1, c, str(_("Choose the file's column for %(column)s.") % {"column": c})) for c in missing
    ]
    if errors:
        raise RowErrors(errors)


def apply_mapping(
    headers: Sequence[str], data: Sequence[Sequence[str]], mapping: dict[str, str]
) -> list[dict[str, str]]:
    """The rows with the kind's column names; columns the mapping leaves out are dropped."""
    index = {target: headers.index(source) for target, source in mapping.items() if source}
    return [{target: str(row[i] if i < len(row) else "") for target, i in index.items()} for row in data]
