"""The administrator's audit log pages by the entry, not by an offset, and counts only so far
(trial 15: the last page of 100,000 entries took 192 ms, counting and skipping the whole table).
A page deep in the log costs the same work at two sizes of the log, with or without a filter."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from sqlalchemy import event, insert, select

from planner.models import AuditEntry
from tests.conftest import login
from tests.factories import make_clinic, make_user


def fill(db, clinic, user, count: int, now) -> None:  # noqa: ANN001
    rows = [
        {
            "clinic_id": clinic.id,
            "user_id": user.id,
            "at": now - timedelta(minutes=count - n),
            "action": "update" if n % 2 else "view",
            "subject_type": "patient",
            "subject_id": n,
            "detail": f"entry {n}",
            "address": "",
        }
        for n in range(count)
    ]
    db.execute(insert(AuditEntry), rows)
    db.commit()


def work(app: Flask, client, path: str) -> tuple[str, int, int]:  # noqa: ANN001
    """The page's text, the statements it ran and SQLite's virtual-machine steps (rows read and more)."""
    engine = app.extensions["db_engine"]
    statements, steps = [0], [0]

    def count(*_args) -> None:  # noqa: ANN002
        statements[0] += 1

    def step() -> int:
        steps[0] += 1
        return 0

    def watch(dbapi_connection, *_args) -> None:  # noqa: ANN001, ANN002
        dbapi_connection.set_progress_handler(step, 1)

    event.listen(engine, "before_cursor_execute", count)
    event.listen(engine, "checkout", watch)
    try:
        html = client.get(path).get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
        event.remove(engine, "checkout", watch)
    return html, statements[0], steps[0]


def details(html: str) -> list[str]:
    return [line.strip()[4:-5] for line in html.splitlines() if line.strip().startswith("<td>entry ")]


def test_a_page_deep_in_the_log_costs_the_same_at_two_sizes_and_pages_both_ways(app, db, now):  # noqa: ANN001
    measured = {}
    for size in (3000, 12000):
        clinic = make_clinic(db, timezone="UTC")
        admin = make_user(db, clinic, role="admin", email=f"boss{size}@log.org")
        fill(db, clinic, admin, size, now)
        client = app.test_client()
        login(client, f"boss{size}@log.org")
        ids = db.scalars(
            select(AuditEntry.id)
            .where(AuditEntry.clinic_id == clinic.id, AuditEntry.detail.like("entry %"))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        ).all()
        first, statements, _ = work(app, client, "/admin/audit")
        assert "more than 1000 entries, newest first" in first  # counted no further
        assert details(first)[:3] == [f"entry {size - 1}", f"entry {size - 2}", f"entry {size - 3}"]
        # Near the end of the log, all and only updates: the same work whatever the log's size.
        deep = ids[-60]
        for query in (f"older={deep}", f"older={deep}&action=update"):
            html, statements, steps = work(app, client, f"/admin/audit?{query}")
            measured.setdefault("action" in query, []).append((statements, steps))
            shown = details(html)
            expected = [f"entry {n}" for n in range(58, -1, -1) if "action" not in query or n % 2][: len(shown)]
            assert shown and shown == expected[: len(shown)], query
        # Older, then Newer, come back to the same page.
        html = client.get(f"/admin/audit?older={ids[49]}").get_data(as_text=True)
        assert details(html)[0] == f"entry {size - 51}"
        assert f"newer={ids[50]}" in html
        back = client.get(f"/admin/audit?newer={ids[50]}").get_data(as_text=True)
        assert details(back) == details(first)[:50][-len(details(back)) :]
    for (small_statements, small_steps), (big_statements, big_steps) in measured.values():
        assert big_statements == small_statements
        assert big_steps < small_steps * 1.3, measured  # 4 times the log: not 4 times the work


def test_a_rare_action_is_found_without_reading_the_rest_of_the_log(app, db, now):  # noqa: ANN001
    """The log filtered by an action few entries have (20 exports) costs the same work in a log of
    3,000 and of 12,000 entries, and so does an action no entry has (0029: on main, every entry
    of the clinic was read to find them)."""
    measured = []
    for size in (3000, 12000):
        clinic = make_clinic(db, timezone="UTC")
        admin = make_user(db, clinic, role="admin", email=f"rare{size}@log.org")
        fill(db, clinic, admin, size, now)
        exports = [
            {
                "clinic_id": clinic.id,
                "user_id": admin.id,
                "at": now - timedelta(minutes=size - n * size // 20, seconds=30),
                "action": "export",
                "subject_type": "patient",
                "subject_id": n,
                "detail": f"export {n}",
                "address": "",
            }
            for n in range(20)
        ]
        db.execute(insert(AuditEntry), exports)
        db.commit()
        client = app.test_client()
        login(client, f"rare{size}@log.org")
        html, _, export_steps = work(app, client, "/admin/audit?action=export")
        assert "20 entries" in html
        shown = re.findall(r"<td>(export \d+)</td>", html)
        assert shown == [f"export {n}" for n in range(19, -1, -1)]  # every one, newest first
        html, _, none_steps = work(app, client, "/admin/audit?action=erase")
        assert not re.findall(r"<td>(export \d+|entry \d+)</td>", html)
        measured.append((export_steps, none_steps))
    (small_export, small_none), (big_export, big_none) = measured
    assert big_export < small_export * 1.3 and big_none < small_none * 1.3, measured
