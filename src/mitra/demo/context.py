"""What each workflow app's demo writer gets: the demo world written so far, and one seeded random source.

Each workflow app has ``mitra/<app>/demo.py`` with ``seed_demo(ctx) -> dict[str, int]`` (what it wrote, by
name). It writes with bulk inserts (with history rows where the model keeps history, and timeline events
through ``ctx.events``) and draws every choice from ``ctx.rng``, so the same seed gives the same world.

A paused or ended partnership's history stops on the day it was lost (``end_of``): nothing of it is dated
later. About two thirds of those soured first: ``strain(p, day)`` rises from 0 to 1 over the months before
the loss, and the writers tilt their draws with it (more missed promises, late deliveries, disputes, lower
pulse answers). The others were lost suddenly and stay healthy to the end. ``until(p)`` is the context as
seen from the end of ``p``'s history: its ``today`` and ``now`` are that end.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings

from mitra.accounts.models import Membership
from mitra.partnerships.models import Bridge, Partnership
from mitra.threads.models import Event

LOSS_HOUR = 17  # the status change of a lost partnership is recorded at 17:00 site time on its loss day


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
    # Partnership id -> the day it was paused or ended (lost ones only).
    lost_on: dict[int, dt.date] = field(default_factory=dict)
    # Partnership id -> how many days it strained before its loss (soured ones only).
    souring: dict[int, int] = field(default_factory=dict)

    def start_of(self, partnership: Partnership) -> dt.date:
        """When the partnership's history begins (its start date, at most two years back)."""
        start = partnership.start_date or self.today
        return max(start, self.today - dt.timedelta(days=730))

    def end_of(self, partnership: Partnership) -> dt.date:
        """When the partnership's history ends: the day it was paused or ended, today for active ones."""
        return self.lost_on.get(partnership.pk, self.today)

    def end_at(self, partnership: Partnership) -> dt.datetime:
        """The instant the partnership's history ends: its loss (17:00 site time that day), else now."""
        day = self.lost_on.get(partnership.pk)
        if day is None:
            return self.now
        return dt.datetime.combine(day, dt.time(LOSS_HOUR), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))

    def strain(self, partnership: Partnership, day: dt.date) -> float:
        """How strained the partnership is on ``day``, 0..1: 0 for healthy ones and for partnerships lost
        suddenly; for a souring one it rises linearly from 0 (``souring`` days before the loss) to 1."""
        days = self.souring.get(partnership.pk)
        if not days:
            return 0.0
        left = (self.lost_on[partnership.pk] - day).days
        return min(1.0, max(0.0, 1.0 - left / days))

    def is_lost(self, partnership: Partnership) -> bool:
        return partnership.pk in self.lost_on

    def until(self, partnership: Partnership) -> DemoContext:
        """This context as seen from the end of ``partnership``'s history (``today``/``now`` at its end),
        sharing the random source, the events and the shared records. Itself for active partnerships."""
        if partnership.pk not in self.lost_on:
            return self
        return replace(self, today=self.end_of(partnership), now=self.end_at(partnership))
