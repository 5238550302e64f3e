"""Relationship pulse."""

from __future__ import annotations
