"""``{% export_links %}``: the "Export CSV" and "Export XLSX" links of a list page, keeping its filters."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("transfer/_export_links.html", takes_context=True)
def export_links(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    params = request.GET.copy() if request is not None else None
    links = {}
    for fmt in ("csv", "xlsx"):
        if params is None:
            links[fmt] = f"?export={fmt}"
            continue
        query = params.copy()
        for key in ("page", "export"):
            query.pop(key, None)
        query["export"] = fmt
        links[fmt] = "?" + query.urlencode()
    return {"csv_url": links["csv"], "xlsx_url": links["xlsx"]}
