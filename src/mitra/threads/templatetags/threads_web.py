"""Template tags of the discussion threads. SCAFFOLD: the threads work replaces this."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def thread_panel(context: Any, kind: str, subject: Any) -> str:
    """The discussion thread of one record (``kind`` as in ``mitra.threads.events.KIND_LABELS``)."""
    return ""
