"""Moments of truth."""

from __future__ import annotations
