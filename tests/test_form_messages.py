"""Every form's length and choice errors name their field.

Trial 13: on Add a patient, an over-long Condition or Notes said only WTForms' "Field cannot be
longer than 2000 characters.", where the name and the phone said which field. Every text field
with a limit, on every form of every page, now says its own name at the limit + 1; nothing at
the limit; a choice not in a list says which list. The walk finds the forms itself, so a new
form or field is held to the same rule.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from html import unescape

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms import validators as wtf
from wtforms.fields.choices import SelectFieldBase
from wtforms.form import BaseForm

import planner.web
from planner.web.forms import CheckboxList, ChoiceField, MaxLength, field_name
from tests.conftest import login
from tests.factories import make_clinic, make_user

for module in pkgutil.walk_packages(planner.web.__path__, "planner.web."):
    importlib.import_module(module.name)


def every_form() -> list[type[Form]]:
    found, todo = [], list(Form.__subclasses__())  # FlaskForms, and sub-forms (the pattern's fields)
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        if form.__module__.startswith("planner."):
            found.append(form)
    return sorted(set(found), key=lambda f: f"{f.__module__}.{f.__qualname__}")


def limited_fields() -> list[tuple[str, str, int]]:
    """(form, field, limit) for every field a length validator limits, inherited fields included."""
    rows = []
    for form in every_form():
        for name, unbound in _unbound(form):
            limits = [v.max for v in unbound.kwargs.get("validators", []) if isinstance(v, wtf.Length) and v.max > 0]
            rows += [(f"{form.__module__}.{form.__qualname__}", name, limit) for limit in limits]
    return rows


def _unbound(form: type[Form]) -> list[tuple[str, object]]:
    return [(n, f) for n in dir(form) if hasattr(f := getattr(form, n), "field_class")]


def form_class(path: str) -> type[Form]:
    return next(f for f in every_form() if f"{f.__module__}.{f.__qualname__}" == path)


ROWS = limited_fields()
# Forms whose text is the patient's (the phone page): its own translated words, at the field.
PATIENT_FORMS = ("planner.web.portal.",)


def test_the_walk_finds_the_forms_of_every_page():
    forms = {path.rsplit(".", 1)[0] for path, _, _ in ROWS}
    assert len(every_form()) >= 30 and len(ROWS) >= 40
    assert {"planner.web.patients.forms", "planner.web.programs.forms", "planner.web.admin.forms"} <= forms


@pytest.mark.parametrize(("form", "field", "limit"), ROWS, ids=[f"{f.rsplit('.', 1)[1]}.{n}" for f, n, _ in ROWS])
def test_a_text_one_past_its_limit_names_its_field(app, form, field, limit):
    cls = form_class(form)
    bound = cls.__dict__.get(field) or getattr(cls, field)
    validators = bound.kwargs.get("validators", [])
    if form.startswith(PATIENT_FORMS):
        pytest.skip("the phone page's own words, in the patient's language, at the field")
    # Every limit is the one rule (MaxLength), but the password's, which says its range.
    assert all(isinstance(v, MaxLength) or v.min > 0 for v in validators if isinstance(v, wtf.Length))
    with app.test_request_context(method="POST"):
        for typed, wrong in (("é" * limit, False), ("é" * (limit + 1), True)):
            # The field alone, as its form binds it (some forms need the clinic's lists to be made).
            alone = BaseForm([(field, bound)])
            alone.process(MultiDict({field: typed}))
            alone.validate()
            target = alone[field]
            errors = " ".join(target.errors)
            long_error = "too long" in errors or "characters" in errors
            assert long_error == wrong, errors
            if wrong:
                assert field_name(target).lower() in errors.lower() or "password" in errors, errors
                assert "Field cannot" not in errors


@pytest.mark.parametrize("field", ["condition", "notes"])
def test_add_a_patient_names_the_over_long_condition_and_notes_at_the_field(app, db, field):
    """The trial's case, on the page: the message sits under the field and names it."""
    clinic = make_clinic(db)
    make_user(db, clinic, email="pt@forms.example")
    client = app.test_client()
    login(client, "pt@forms.example")
    limit = 2000 if field == "condition" else 10000
    data = {"name": "María José Núñez-Peña", "language": "en", "primary_therapist_id": "", field: "ñ" * (limit + 1)}
    html = client.post("/patients/new", data=data).get_data(as_text=True)
    said = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert said, html
    assert unescape(said[1]) == f"{field.capitalize()} is too long: at most {limit} characters. It has {limit + 1}."


def choice_fields() -> list[tuple[str, str]]:
    """(form, field) for every drop-down and list of checkboxes that checks its choices."""
    rows = []
    for form in every_form():
        for name, unbound in _unbound(form):
            if issubclass(unbound.field_class, SelectFieldBase) and unbound.kwargs.get("validate_choice", True):
                rows.append((f"{form.__module__}.{form.__qualname__}", name))
    return rows


CHOICES = choice_fields()


def test_every_list_field_is_one_that_names_itself():
    """WTForms' own SelectField says "Not a valid choice."; the planner's name the field."""
    assert len(CHOICES) >= 20
    plain = [
        (form, name)
        for form, name in CHOICES
        if not form.startswith(PATIENT_FORMS)
        and not issubclass(getattr(form_class(form), name).field_class, (ChoiceField, CheckboxList))
    ]
    assert plain == []


@pytest.mark.parametrize(("form", "field"), CHOICES, ids=[f"{f.rsplit('.', 1)[1]}.{n}" for f, n in CHOICES])
def test_a_choice_not_listed_names_its_field(app, form, field):
    """A choice gone since the page was opened (a therapist deactivated, advice removed) or sent by hand."""
    if form.startswith(PATIENT_FORMS):
        pytest.skip("the phone page's own words, in the patient's language, at the field")
    bound = getattr(form_class(form), field)
    with app.test_request_context(method="POST"):
        alone = BaseForm([(field, bound)])
        alone.process(MultiDict({field: "not-listed"}))
        target = alone[field]
        if target.choices is None:  # the page fills these from the clinic's lists
            target.choices = [("listed", "Listed")]
        alone.validate()
        errors = " ".join(target.errors)
        assert errors == f"{field_name(target)}: choose from the options listed.", errors
