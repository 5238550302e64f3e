"""How the partnership list scales: the annotated, set-based selector against a per-row baseline.

Seeds one organisation with N partnerships (each with bridges) in a throw-away SQLite database, then times
``partnerships.selectors.partnership_list`` (one query with counts annotated) against the naive way (count each
partnership's bridges and people in a Python loop, one query per row), measured in the same run.

    .venv/bin/python benchmarks/partnership_list.py [--sizes 50 200 1000] [--repeat 5]

The last line repeats the figures as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def _setup(var_dir: str) -> None:
    os.environ["MITRA_DEBUG"] = "1"
    os.environ["MITRA_VAR_DIR"] = var_dir
    os.environ["MITRA_DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mitra.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed(n: int):  # type: ignore[no-untyped-def]
    from mitra.accounts.models import Department, Membership, Organisation, Role, User
    from mitra.accounts.selectors import actor_from_membership
    from mitra.partnerships.models import Bridge, Partnership, Status

    home = Organisation.objects.create(name=f"PT Pusat {n}")
    user = User.objects.create(email=f"bench{n}@example.test")
    membership = Membership.objects.create(user=user, organisation=home, role=Role.ADMIN)
    home_depts = Department.objects.bulk_create(
        Department(organisation=home, kind=k, name=f"{k} {n}") for k in ("sales", "finance", "logistics")
    )
    partners = Organisation.objects.bulk_create(Organisation(name=f"PT Mitra {n}-{i}") for i in range(n))
    depts = Department.objects.bulk_create(
        Department(organisation=o, kind=k, name=k) for o in partners for k in ("purchasing", "finance")
    )
    users = User.objects.bulk_create(User(email=f"p{n}-{i}@example.test") for i in range(n))
    people = Membership.objects.bulk_create(
        Membership(user=u, organisation=o) for u, o in zip(users, partners, strict=True)
    )
    ships = Partnership.objects.bulk_create(
        Partnership(supplier=home, customer=o, proposed_by=home, status=Status.ACTIVE) for o in partners
    )
    Bridge.objects.bulk_create(
        Bridge(
            partnership=p,
            supplier_department=home_depts[j],
            customer_department=depts[2 * i + (j % 2)],
            supplier_owner=membership,
            customer_owner=people[i],
        )
        for i, p in enumerate(ships)
        for j in range(2)
    )
    return actor_from_membership(membership)


def _time(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _count_queries(connection, fn) -> int:  # type: ignore[no-untyped-def]
    count = 0

    def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        fn()
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 1000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        _setup(var_dir)
        from django.db import connection

        from mitra.partnerships import selectors
        from mitra.partnerships.models import Bridge, Partnership

        results = {}
        for n in args.sizes:
            actor = _seed(n)

            def set_based(actor=actor) -> list[tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
                return [
                    (p.pk, p.bridge_count, p.supplier_people, p.customer_people)  # type: ignore[attr-defined]
                    for p in selectors.partnership_list(actor)
                ]

            def per_row(actor=actor) -> list[tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
                rows = []
                for p in Partnership.objects.visible_to(actor).select_related("supplier", "customer"):
                    bridges = Bridge.objects.filter(partnership=p)
                    rows.append(
                        (
                            p.pk,
                            bridges.count(),
                            bridges.values("supplier_owner").distinct().count(),
                            bridges.values("customer_owner").distinct().count(),
                        )
                    )
                return rows

            assert sorted(set_based()) == sorted(per_row()), "both ways must agree"
            q_set, q_row = _count_queries(connection, set_based), _count_queries(connection, per_row)
            t_set, t_row = _time(set_based, args.repeat), _time(per_row, args.repeat)
            results[n] = {
                "set_ms": round(t_set * 1000, 2),
                "per_row_ms": round(t_row * 1000, 2),
                "speedup": round(t_row / t_set, 1),
                "set_queries": q_set,
                "per_row_queries": q_row,
            }
            r = results[n]
            print(
                f"{n:>5} partnerships: set-based {r['set_ms']:>8} ms in {r['set_queries']} queries; "
                f"per-row baseline {r['per_row_ms']:>8} ms in {r['per_row_queries']} queries; {r['speedup']}x"
            )
    print(json.dumps({f"n{n}_{k}": v for n, r in results.items() for k, v in r.items()}))


if __name__ == "__main__":
    main()
