"""A name put into a flash message reads in its own direction: a patient's, an exercise's, a
template's, a token's, a user's, typed in Hebrew or Arabic, is set between Unicode's isolates
(planner.bidi.isolate), as the add panel's sentences and <bdi> in markup are. Without them the
quote marks and the full stop around “סיבוב צוואר”. jump to its other end in an English sentence."""

from __future__ import annotations

import ast
from html import unescape

import pytest

from planner.bidi import isolate
from planner.config import ROOT
from planner.models import Exercise
from planner.services import programs
from tests.conftest import login
from tests.factories import make_clinic, make_patient, make_user

WEB = ROOT / "planner" / "web"
# What a sentence may carry from people or the catalog: the expression names one of these.
TYPED = ("name", "email", "note_left_out", "skipped")


def _flashed_strings(tree: ast.AST) -> list[ast.JoinedStr]:
    """The f-strings that become flash messages: inside flash(...) or Done(...) (the builder's
    actions flash Done.said), in a list kept as `said`, or made by a function *_words."""
    found: list[ast.JoinedStr] = []
    for node in ast.walk(tree):
        holders = []
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            target = node.func.value if isinstance(node.func, ast.Attribute) else None
            if name in ("flash", "Done") or (name == "append" and isinstance(target, ast.Name) and target.id == "said"):
                holders = [node]
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "said" for t in node.targets):
            holders = [node.value]
        elif isinstance(node, ast.FunctionDef) and node.name.endswith("_words"):
            holders = [node]
        for holder in holders:
            found += [n for n in ast.walk(holder) if isinstance(n, ast.JoinedStr)]
    return found


def test_every_flashed_name_is_isolated():
    """Read from the code: every value a flash message takes from what people typed or the catalog
    (a name, an email address, a template's note) goes through isolate()."""
    bare, read = [], 0
    for path in sorted(WEB.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # Names of the file's variables made with isolate(): `name = isolate(item.exercise.name)`.
        made = {
            target.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and "isolate(" in ast.unparse(node.value)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for string in _flashed_strings(tree):
            read += 1
            for value in (v for v in string.values if isinstance(v, ast.FormattedValue)):
                said = ast.unparse(value.value)
                isolated = isinstance(value.value, ast.Call) and ast.unparse(value.value.func) == "isolate"
                isolated = isolated or (isinstance(value.value, ast.Name) and value.value.id in made)
                if not isolated and any(word in said for word in TYPED):
                    bare.append(f"{path.relative_to(ROOT)}:{value.lineno}: {{{said}}}")
    assert bare == [] and read > 30  # the flash messages of every page were read


def test_the_reader_finds_a_bare_name_in_each_kind_of_flash():
    """The check above reads flash(), Done(), `said` and *_words: each with a bare name is found."""
    code = """
def added_words(item):
    return f"Added “{item.exercise.name}”."
def act():
    flash(f"{patient.name} is added.", "success")
    said = [f"Removed “{name}”."]
    said.append(f"To {user.email}.")
    return Done("#x", [f"“{i.exercise.name}” now uses left."])
"""
    assert len(_flashed_strings(ast.parse(code))) == 5


SCRIPTS = {"Hebrew": ("סיבוב צוואר", "דנה כהן"), "Arabic": ("تدوير الرقبة", "ليلى حداد")}


def flashes(html: str) -> list[str]:
    """The text of each flash message on the page."""
    return [unescape(part.split(">", 1)[1].split("</p>", 1)[0]) for part in html.split('<p class="flash')[1:]]


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_flashes_of_a_day_set_each_typed_name_in_its_own_direction(app, db, script):
    """A therapist adds a patient, gives her a clinic exercise and takes it out again, emails a
    handout she has no address for, and makes an API token: each flash names the exercise,
    patient or token isolated, in English sentences whose quotes and full stops stay in place."""
    exercise_name, patient_name = SCRIPTS[script]
    clinic = make_clinic(db, "Bidi Flash Clinic")
    therapist = make_user(db, clinic, email="t@flash.example")
    db.add(
        Exercise(
            slug="bidi-flash-turn",
            clinic_id=clinic.id,
            name=exercise_name,
            category="range_of_motion",
            regions=["neck"],
            position="sitting",
            steps=["Sit tall."],
            dosage={"repetitions": 10},
        )
    )
    client = app.test_client()
    login(client, therapist.email)

    added = client.post(
        "/patients/new",
        data={"name": patient_name, "language": "en", "primary_therapist_id": ""},
        follow_redirects=True,
    )
    assert f"{isolate(patient_name)} is added." in flashes(added.get_data(as_text=True))

    patient = make_patient(db, clinic, patient_name)  # no email address
    program = programs.create_program(
        db, patient, programs.ProgramDetails("Neck", patient.created_at.date()), therapist.id, patient.created_at
    )
    db.commit()
    shown = client.post(
        f"/programs/{program.id}/items",
        data={"exercise": "bidi-flash-turn", "lock_version": program.lock_version},
        follow_redirects=True,
    )
    assert f"Added “{isolate(exercise_name)}”." in flashes(shown.get_data(as_text=True))
    db.refresh(program)
    (item,) = program.items
    removed = client.post(
        f"/programs/{program.id}/items/{item.id}/remove",
        data={"lock_version": program.lock_version},
        follow_redirects=True,
    )
    assert f"Removed “{isolate(exercise_name)}”." in flashes(removed.get_data(as_text=True))

    emailed = client.post(f"/programs/{program.id}/email-handout", follow_redirects=True)
    said = flashes(emailed.get_data(as_text=True))
    assert any(line.startswith(f"{isolate(patient_name)} has no email address.") for line in said), said

    token = client.post("/account/tokens", data={"name": exercise_name}, follow_redirects=True)
    assert any(
        f"The token “{isolate(exercise_name)}” is made." in line for line in flashes(token.get_data(as_text=True))
    )


@pytest.mark.parametrize(
    ("text", "isolated"),
    [
        ("סיבוב", True),
        ("تدوير", True),
        ("Zoë Łukasiewicz", False),
        ("王小明", False),
        ("Ελένη", False),
        ("Иван", False),
    ],
)
def test_only_right_to_left_text_is_isolated(text, isolated):
    assert isolate(text) == (f"\u2068{text}\u2069" if isolated else text)
