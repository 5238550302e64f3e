"""Architecture rules from ARCHITECTURE.md, checked on the source so that a violation fails CI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "mitra"
INTERFACE = {"api", "views", "forms", "schemas", "urls", "tasks", "admin"}
DOMAIN = {"models", "services", "selectors"}


def _modules() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "migrations" not in p.parts and "tests" not in p.parts]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _layer(module: str) -> str:
    return module.rsplit(".", 1)[-1]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_domain_code_never_imports_the_interface_layer(path: Path) -> None:
    if path.stem not in DOMAIN:
        return
    bad = sorted(m for m in _imports(path) if m.startswith("mitra.") and _layer(m) in INTERFACE)
    assert bad == [], f"{path.relative_to(SRC)} imports interface modules {bad}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_models_do_not_import_services_or_selectors(path: Path) -> None:
    if path.stem != "models":
        return
    bad = sorted(
        m for m in _imports(path) if m.startswith("mitra.") and _layer(m) in {"services", "selectors"}
    )
    assert bad == [], f"{path.relative_to(SRC)} imports {bad}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_engines_are_pure(path: Path) -> None:
    if "engine" not in path.parts:
        return
    bad = sorted(
        m
        for m in _imports(path)
        if m.split(".")[0] == "django" or (m.startswith("mitra.") and "engine" not in m)
    )
    assert bad == [], f"{path.relative_to(SRC)} (an engine) imports {bad}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_interfaces_reach_tenant_data_only_through_selectors_and_services(path: Path) -> None:
    """Views, API functions and forms never run ``Model.objects`` queries; selectors scope them."""
    if path.stem not in {"api", "views", "forms"}:
        return
    tree = ast.parse(path.read_text())
    offenders = [
        f"line {node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]
    assert offenders == [], f"{path.relative_to(SRC)} uses Model.objects at {offenders}"


def test_no_signal_receivers_outside_the_audit_module() -> None:
    """Business logic never hides in signals; only the sign-in audit listens to Django's auth signals."""
    receivers = [
        str(p.relative_to(SRC))
        for p in _modules()
        if "@receiver" in p.read_text() and p.relative_to(SRC).as_posix() != "accounts/security.py"
    ]
    assert receivers == []
