"""A handout asked for again is not laid out again, and a kept PDF is never stale: whatever changes
what the paper says (a new version, the clinic's name, the day that turns the check-up line into
"please call us", large print, the page size) gives the PDF a new process would make."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from planner.handouts import HandoutOptions, build_handout, forget_drawings, pdf_cache
from planner.models import AuditEntry, Clinic
from planner.services import issuing, program_items
from tests.conftest import login
from tests.handout_world import NOW, make_world, pages_text

SIX = ["chin-tuck-sitting", "shoulder-rolls", "ankle-circles", "wall-angels", "bridge", "heel-raise"]
OPTIONS = HandoutOptions()


@pytest.fixture
def program(catalog_db):  # noqa: ANN001, ANN201
    forget_drawings()
    return make_world(catalog_db, patient_name="Zoë Ἀθηνᾶ", slugs=SIX, notes={})


def test_the_same_handout_again_is_the_kept_pdf(catalog_db, program):
    assert build_handout(catalog_db, program, NOW, options=OPTIONS) and pdf_cache.count() == 0  # only when asked
    first = build_handout(catalog_db, program, NOW, options=OPTIONS, reuse=True)
    assert pdf_cache.count() == 1
    assert build_handout(catalog_db, program, NOW, options=OPTIONS, reuse=True) == first
    assert pdf_cache.count() == 1  # the same one, not a second PDF


def _new_version(db, program):  # noqa: ANN001, ANN202
    issuing.issue(db, program, None, "print", NOW)
    item = program.items[1]
    program_items.update_item(
        db, program, item.id, {**item.dosage, "repetitions": 7}, item.side, "", None, NOW + timedelta(days=1)
    )
    return "(version 2)"


def _clinic_renamed(db, program):  # noqa: ANN001, ANN202
    db.get(Clinic, program.clinic_id).name = "Клиника Αθηνά Nord"
    db.flush()
    return "Клиника Αθηνά Nord"


def _check_up_passed(db, program):  # noqa: ANN001, ANN202
    return "Please call us to book it."  # the re-evaluation date has passed on the later day


def _large_print(db, program):  # noqa: ANN001, ANN202
    program.patient.large_print = True
    db.flush()
    return None


CHANGES = {
    "a new version": (_new_version, NOW),
    "the clinic renamed": (_clinic_renamed, NOW),
    "printed on a day after the check-up date": (_check_up_passed, NOW + timedelta(days=60)),
    "large print": (_large_print, NOW),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_change_to_what_the_paper_says_is_never_served_from_the_kept_pdf(catalog_db, program, change):
    before = build_handout(catalog_db, program, NOW, options=OPTIONS, reuse=True)
    make_change, later = CHANGES[change]
    shows = make_change(catalog_db, program)
    catalog_db.expire_all()  # as the next request reads the rows afresh
    warm = build_handout(catalog_db, program, later, options=OPTIONS, reuse=True)
    forget_drawings()  # a new process: nothing kept
    cold = build_handout(catalog_db, program, later, options=OPTIONS, reuse=True)
    assert warm != before
    assert warm == cold
    if shows:
        assert shows in " ".join(pages_text(warm))
        assert shows not in " ".join(pages_text(before))


def test_another_page_size_is_another_pdf(catalog_db, program):
    letter = build_handout(catalog_db, program, NOW, options=OPTIONS, reuse=True)
    a4 = build_handout(catalog_db, program, NOW, options=HandoutOptions(page_size="a4"), reuse=True)
    assert a4 != letter
    forget_drawings()
    assert build_handout(catalog_db, program, NOW, options=HandoutOptions(page_size="a4"), reuse=True) == a4


def test_printing_the_kept_pdf_still_records_each_print(catalog_app, catalog_db, program):
    client = catalog_app.test_client()
    login(client, program.therapist.email, "a long test password")
    answers = [client.post(f"/programs/{program.id}/handout.pdf") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].data == answers[1].data == answers[2].data
    prints = catalog_db.scalars(select(AuditEntry.detail).where(AuditEntry.action == "print")).all()
    assert prints == ["handout, version 1"] * 3
