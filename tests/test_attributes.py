"""Form fields are written faster than WTForms writes them (planner/web/attributes.py, and the
builder's item fields from saved values, a direction-specific exercise's direction field too),
the same HTML, so no page, test or browser sees a difference."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest
from flask import render_template, render_template_string
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from planner.dystonia.movement import ExerciseSpec
from planner.models.program import COMPACT, ONE_PER_PAGE
from planner.web import attributes
from planner.web.admin.forms import ConfirmForm
from planner.web.forms import csrf_field
from planner.web.portal.forms import TickForm, tick_token
from planner.web.programs.forms import (
    ItemForm,
    Locked,
    ProgramForm,
    details_fields,
    fit_side_field,
    item_fields,
    locked_fields,
)


@pytest.mark.parametrize(
    "params",
    [
        {"id": "item12-sets", "name": "item12-sets", "type": "number", "value": 3, "min": 1, "max": 20},
        {"class_": "small", "for_": "note", "data_item_id": "7", "aria_describedby": "a-hint b-error"},
        {"checked": True, "disabled": False, "required": True, "value": ""},
        {"value": 'He said "stop" & <left>'},
        {"value": Markup('<b class="x">safe</b>')},
        {"value": "Ωραία — Привет — 你好 — שלום — مرحبا", "title": "Zoë's “note”"},
        {"value": None, "placeholder": 0},
    ],
)
def test_attributes_are_written_as_wtforms_writes_them(params):
    assert attributes.html_params(**params) == attributes.LIBRARY(**params)


def rendered(*forms) -> list[str]:  # noqa: ANN002
    return [str(field()) + str(field.label()) for form in forms for field in form]


def test_whole_forms_render_as_wtforms_renders_them(app):
    with app.test_request_context():
        item = ItemForm(prefix="item3", formdata=None, data={"sets": 2, "side": "left", "note": 'Slow & "small"'})
        details = ProgramForm(formdata=None, advice_options=["Rest <often>", "Sit “tall”"], title="Neck & back")
        ours = rendered(item, details)
        attributes.install(attributes.LIBRARY)
        try:
            theirs = rendered(item, details)
        finally:
            attributes.install()
    assert ours == theirs and any("&#34;small&#34;" in html or "&quot;" in html for html in ours)


def squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize(
    "dosage, side, note",
    [
        ({"sets": 2, "repetitions": 10, "hold_seconds": 5}, "both", ""),
        ({"minutes": 60, "days_per_week": 7, "rest_seconds": 0}, "", 'Slow & "small" <turns>\nthen rest.'),
        ({"sets": 10, "times_per_day": 6}, "left", "Gira la cabeza despacio. Μην πιέζετε. Не спешите. 慢慢来。"),
        ({}, "right", "לאט לאט — ببطء"),
        ({"repetitions": 1}, "sideways", "x" * 1000),  # a side no choice has: none selected, as WTForms
    ],
)
@pytest.mark.parametrize(
    "spec, proposed",
    [
        (None, ""),  # a symmetric or limb exercise: no side / both / left / right
        (ExerciseSpec("away", "rotation"), "right"),  # a direction from the recorded pattern, with its hint
        (ExerciseSpec("toward", "tilt"), ""),  # no pattern for the movement: the hint says to choose
        (ExerciseSpec("away", "shoulder"), "both"),  # both shoulders
        (ExerciseSpec("away", "flexion"), ""),  # one way only
    ],
)
def test_the_builders_item_fields_are_what_the_item_form_writes(app, dosage, side, note, spec, proposed):
    with app.test_request_context():
        form = ItemForm(prefix="item42", formdata=None, data={**dosage, "side": side, "note": note, "lock_version": 7})
        if spec is not None:
            fit_side_field(form, spec, proposed)
        wtforms = render_template("programs/_item_fields.html", f=form)
        ours = item_fields(42, dosage, side, note, 7, None, spec, proposed)
    assert squeezed(str(ours)) == squeezed(wtforms)
    assert ("Direction</label>" in wtforms) == (spec is not None)


DETAILS = """{% from "_forms.html" import field %}{{ f.csrf_token }}{{ f.lock_version() }}
{% for name in ['title', 'goals', 'start_date', 'frequency', 'visit_plan', 'reeval_interval_days',
                'reeval_date', 'advice', 'advice_text', 'handout_layout'] %}{{ field(f[name]) }}{% endfor %}"""


@pytest.mark.parametrize(
    "saved",
    [
        {"title": "Neck", "start_date": date(2026, 1, 2)},
        {
            "title": 'Neck & "back" <now>',
            "goals": "Walk <far>\nagain & again",
            "start_date": date(1, 1, 1),
            "frequency": "Before you write — “slowly”",
            "visit_plan": "weekly",
            "reeval_interval_days": 365,
            "reeval_date": date(9999, 12, 31),
            "advice": ["Rest <often>", "gone from the list"],
            "advice_text": "Ωραία — Привет — 你好",
            "handout_layout": ONE_PER_PAGE,
            "lock_version": 12,
        },
        {"title": "ראש — رأس", "goals": "x" * 2000, "start_date": date(2026, 12, 1), "advice": ["Sit “tall”"]},
        {"title": "Zoë", "start_date": date(2026, 1, 2), "reeval_interval_days": 1, "handout_layout": ""},
    ],
)
@pytest.mark.parametrize("csrf", [False, True])
def test_the_builders_details_fields_are_what_the_program_form_writes(app, saved, csrf):
    app.config["WTF_CSRF_ENABLED"] = csrf
    empty = {"goals": "", "frequency": "", "visit_plan": "", "reeval_interval_days": None, "reeval_date": None}
    program = SimpleNamespace(
        **{**empty, "advice": [], "advice_text": "", "handout_layout": COMPACT, "lock_version": 0, **saved}
    )
    options = ["Rest <often>", "Sit “tall”", "Zoë's walk"]
    with app.test_request_context():
        form = ProgramForm(obj=program, formdata=None, advice_options=options)
        form.lock_version.data = program.lock_version
        wtforms = render_template_string(DETAILS, f=form)
        ours = details_fields(program, options, generate_csrf() if csrf else None)
    assert squeezed(str(ours)) == squeezed(wtforms)
    assert ('name="csrf_token"' in wtforms) == csrf
    with app.test_request_context():  # again, from the part kept per process: the new request's own token
        again = details_fields(program, options, generate_csrf() if csrf else None)
    if csrf:
        assert token(again) != token(ours)
        assert again.replace(token(again), "T") == ours.replace(token(ours), "T")
    else:
        assert again == ours


def token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_the_builders_details_fields_follow_the_program_at_once(app):
    """details_fields keeps its parts per process by every value it writes: a saved change, a
    new lock version, another clinic's advice list each show at once."""
    saved = {"title": "Neck", "goals": "", "start_date": date(2026, 12, 1), "frequency": "", "visit_plan": ""}
    saved |= {"reeval_interval_days": None, "reeval_date": None, "advice": [], "advice_text": ""}
    program = SimpleNamespace(**saved, handout_layout=COMPACT, lock_version=3)
    with app.test_request_context():
        first = details_fields(program, ["Rest"], None)
        program.title, program.lock_version = "Neck and shoulders", 4
        assert 'value="Neck and shoulders"' in details_fields(program, ["Rest"], None)
        program.goals = "Walk far"
        assert "Walk far</textarea>" in details_fields(program, ["Rest"], None)
        assert "Sit tall" in details_fields(program, ["Rest", "Sit tall"], None)
        assert 'value="3"' in first and 'value="4"' in details_fields(program, ["Rest"], None)


@pytest.mark.parametrize("lock_version", [0, 7, 2**63 - 1])
@pytest.mark.parametrize("csrf", [False, True])
def test_the_builders_action_fields_are_what_a_locked_form_writes(app, lock_version, csrf):
    app.config["WTF_CSRF_ENABLED"] = csrf
    with app.test_request_context():
        form = Locked(formdata=None, lock_version=lock_version)
        wtforms = f"{getattr(form, 'csrf_token', '')}{form.lock_version()}"  # no such field without CSRF
        ours = locked_fields(lock_version, generate_csrf() if csrf else None)
    assert str(ours) == wtforms
    assert ('name="csrf_token"' in wtforms) == csrf


@pytest.mark.parametrize("csrf", [False, True])
def test_the_phone_pages_tick_token_is_what_a_tick_form_writes(app, csrf):
    app.config["WTF_CSRF_ENABLED"] = csrf
    with app.test_request_context():
        wtforms = str(getattr(TickForm(formdata=None), "csrf_token", ""))  # no such field without CSRF
        ours = tick_token()
    assert str(ours) == wtforms
    assert ('name="csrf_token"' in wtforms) == csrf


@pytest.mark.parametrize("csrf", [False, True])
def test_the_dashboards_csrf_field_is_what_a_confirm_form_writes(app, csrf):
    app.config["WTF_CSRF_ENABLED"] = csrf
    with app.test_request_context():
        wtforms = str(getattr(ConfirmForm(formdata=None), "csrf_token", ""))  # no such field without CSRF
        ours = csrf_field()
    assert str(ours) == wtforms
    assert ('name="csrf_token"' in wtforms) == csrf
