"""E-mail rendering shared by the jobs that send Mitra's messages."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


def render_message(template: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    """Subject and body of ``<template>_subject.txt`` and ``<template>.txt`` in ``language``.

    The subject is folded onto one line: a company name with a line break would otherwise make the mail
    header invalid and the job fail.
    """
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return subject, body
