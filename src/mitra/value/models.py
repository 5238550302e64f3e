"""Value ledger."""

from __future__ import annotations
