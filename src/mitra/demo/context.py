"""What each workflow app's demo writer gets: the demo world written so far, and one seeded random source.

Each workflow app has ``mitra/<app>/demo.py`` with ``seed_demo(ctx) -> dict[str, int]`` (what it wrote, by
name). It writes with bulk inserts (with history rows where the model keeps history, and timeline events
through ``ctx.events``) and draws every choice from ``ctx.rng``, so the same seed gives the same world.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from mitra.accounts.models import Membership
from mitra.partnerships.models import Bridge, Partnership
from mitra.threads.models import Event


@dataclass
class DemoContext:
    rng: random.Random
    size: str
    today: dt.date
    now: dt.datetime
    # Partnerships with a workspace (active, paused, ended), with supplier and customer loaded.
    partnerships: list[Partnership]
    # Partnership id -> its bridges (with departments and owners loaded).
    bridges: dict[int, list[Bridge]]
    # Organisation id -> its active memberships (with users loaded).
    people: dict[int, list[Membership]]
    # Timeline events to write in one go at the end (``Event(...)`` objects, ``at`` set to when it happened).
    events: list[Event] = field(default_factory=list)
    # Records written by earlier apps that later ones may link to: name -> list of model instances.
    shared: dict[str, list[Any]] = field(default_factory=dict)

    def start_of(self, partnership: Partnership) -> dt.date:
        """When the partnership's history begins (its start date, at most two years back)."""
        start = partnership.start_date or self.today
        return max(start, self.today - dt.timedelta(days=730))
