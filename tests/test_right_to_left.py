"""Right-to-left text typed by people (Hebrew, Arabic, and either mixed with Latin) reads in its own
direction wherever it is shown: in its own element whose direction follows its words (dir="auto"
or <bdi>) on every therapist page and the phone page, and, in the server-drawn timeline, with the
SVG text's direction set and a cut name's "…" at the end the reader reaches last."""

from __future__ import annotations

import re
import shutil
import unicodedata
from datetime import UTC, date, datetime, time
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from planner.dystonia.pattern import PatternEntry
from planner.models import Exercise, Injection
from planner.services import (
    alerts,
    care,
    evaluations,
    exercise_reminders,
    issuing,
    patient_links,
    portal,
    program_items,
    program_templates,
    programs,
    questionnaires,
    toxin_cycle,
)
from planner.services.evaluations import EvaluationData
from planner.web.outcomes.timeline import Row, Timeline, draw
from tests.conftest import build_app, login
from tests.factories import make_clinic, make_patient, make_user
from tests.test_accessibility import therapist_pages

NOW = datetime.now(UTC)
TODAY = NOW.date()

# What people type, per field: Arabic, Hebrew, and Latin mixed in (first or last).
TEXTS = {
    "name": "ليلى حداد",
    "condition": "الرأس يميل إلى اليسار",
    "notes": "מעדיפה בקרים",
    "title": "תוכנית צוואר",
    "goals": "לנהוג בלי כאב",
    "frequency": "كل صباح",
    "visit_plan": "כל שבועיים",
    "advice": "استرح بعد التمرين",
    "advice_text": "Warm shower first — מקלחת חמה",
    "item_note": "لطيف وبطيء",
    "exercise": "סיבוב צוואר",
    "step": "اجلس مستقيما",
    "caution": "עצור אם כואב",
    "findings": "تحسن الدوران",
    "plan_changes": "עוד החזקות",
    "pattern_note": "أسوأ عند التعب",
    "visit_note": "הלך טוב",
    "comment": "ألم في الرقبة بعد العمل في الحديقة طوال الصباح " * 4,
    "activity": "נהיגה ברכב",
    "muscle": "Splenius capitis ימין",
    "injected_by": "د. نيكولاو",
    "therapist": "דנה אורטיז",
}
RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def make_world(db):  # noqa: ANN001, ANN201
    """A clinic whose therapist, patient, program, own exercise and every note, answer and injection
    are written in Hebrew or Arabic, through the services a therapist and a patient use."""
    clinic = make_clinic(db, "Bidi Clinic", timezone="UTC")
    therapist = make_user(db, clinic, email="dana@clinic.example", name=TEXTS["therapist"])
    exercise = Exercise(
        slug="bidi-neck-turn",
        clinic_id=clinic.id,
        name=TEXTS["exercise"],
        category="range_of_motion",
        regions=["neck"],
        position="sitting",
        steps=[TEXTS["step"]],
        cautions=[TEXTS["caution"]],
        dosage={"repetitions": 10},
    )
    db.add(exercise)
    patient = make_patient(
        db,
        clinic,
        TEXTS["name"],
        email="layla@example.org",
        condition=TEXTS["condition"],
        notes=TEXTS["notes"],
        primary_therapist_id=therapist.id,
        reminder_consent=True,
    )
    details = programs.ProgramDetails(
        title=TEXTS["title"],
        start_date=TODAY,
        goals=TEXTS["goals"],
        frequency=TEXTS["frequency"],
        visit_plan=TEXTS["visit_plan"],
        reeval_interval_days=42,
        advice=[TEXTS["advice"]],
        advice_text=TEXTS["advice_text"],
    )
    program = programs.create_program(db, patient, details, therapist.id, NOW)
    program_items.add_item(db, program, exercise, None, NOW, {"repetitions": 5}, note=TEXTS["item_note"])
    issuing.issue(db, program, therapist.id, "print", NOW)
    evaluation = evaluations.record_evaluation(
        db,
        program,
        EvaluationData(TODAY, findings=TEXTS["findings"], plan_changes=TEXTS["plan_changes"], values={"pain_nrs": 4}),
        therapist.id,
        NOW,
    )
    seen = PatternEntry({"rotation": "left"}, {"rotation": 2}, "no_no", 1, ["voice"], TEXTS["pattern_note"])
    from planner.services import recorded_patterns

    recorded_patterns.record_change_at_evaluation(db, patient, seen, evaluation, therapist.id, NOW)
    care.record_visit(db, program, TODAY, "treatment", TEXTS["visit_note"], therapist.id, NOW)
    exercise_reminders.turn_on(db, patient, time(7, 30), "therapist", NOW, "test", therapist)
    alert = portal.report_day(db, program, TODAY, TODAY, 8, "hard", TEXTS["comment"], NOW)
    assert alert is not None
    alerts.queue_pain_alert(db, alert, program, NOW)
    questionnaires.schedule(db, patient, ["psfs"], 14, TODAY, TODAY, NOW)
    asked = questionnaires.current_questionnaire(db, patient, TODAY, NOW)
    for value in [TEXTS["activity"], "", "4"]:
        step = questionnaires.next_step(db, asked, TODAY)[0]
        questionnaires.answer(db, asked, step.key, value, TODAY, NOW)
    toxin_cycle.record_injection(
        db,
        patient,
        toxin_cycle.InjectionData(
            date(TODAY.year - 1, 12, 1) if TODAY.month < 3 else TODAY.replace(day=1),
            [toxin_cycle.Dose(TEXTS["muscle"], 50, 25)],
            "onabotulinumtoxinA",
            TEXTS["injected_by"],
        ),
        TODAY,
        NOW,
    )
    template = program_templates.save_as_template(db, program, "Bidi template", "", NOW)
    db.commit()
    return {
        "db": db,
        "patient": patient,
        "program": program,
        "therapist": therapist,
        "own_exercise": exercise,
        "template": template,
        "injection": db.scalars(select(Injection).where(Injection.patient_id == patient.id)).first(),
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory, catalog_file):  # noqa: ANN001, ANN201
    folder = tmp_path_factory.mktemp("bidi")
    shutil.copyfile(catalog_file, folder / "planner.sqlite3")
    app = build_app(folder, url=f"sqlite:///{folder / 'planner.sqlite3'}")
    db = app.extensions["db_sessionmaker"]()
    found = make_world(db)
    _, found["token"] = patient_links.create_link(db, found["patient"], app.secret_key, NOW)
    db.commit()
    found["app"] = app
    yield found
    db.close()
    app.extensions["db_engine"].dispose()


class _Texts(HTMLParser):
    """Every text with right-to-left letters, with the elements around it (innermost last)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.found: list[tuple[str, str]] = []  # (where, what is wrong)

    def handle_starttag(self, tag, attrs) -> None:  # noqa: ANN001
        attributes = dict(attrs)
        typed = RIGHT_TO_LEFT.search(attributes.get("value") or "")
        if tag in ("input", "textarea") and typed and attributes.get("dir") != "auto":
            self.found.append((f"<{tag} name={attributes.get('name')}>", "a field's value without dir=auto"))
        if tag not in self.VOID:
            self.stack.append((tag, attributes, []))

    def handle_endtag(self, tag) -> None:  # noqa: ANN001
        while self.stack:
            name, attributes, text = self.stack.pop()
            whole = "".join(text)
            if self.stack:
                self.stack[-1][2].append(whole)
            if name == tag:
                self._check(name, attributes, whole)
                return

    def handle_data(self, data) -> None:  # noqa: ANN001
        if self.stack:
            self.stack[-1][2].append(data)
        if not RIGHT_TO_LEFT.search(data) or any(t in ("title", "script", "style") for t, _, _ in self.stack):
            return
        if any(t == "svg" for t, _, _ in self.stack):
            text = next((a for t, a, _ in reversed(self.stack) if t == "text"), {})
            if text.get("direction") != _direction(data.strip()):
                self.found.append((data.strip()[:40], f"SVG text with direction {text.get('direction')}"))
            return
        isolated = re.sub("\u2068[^\u2069]*\u2069", "", data)  # put in a sentence between FSI and PDI
        if RIGHT_TO_LEFT.search(isolated) and not any(t == "bdi" or a.get("dir") == "auto" for t, a, _ in self.stack):
            self.found.append((data.strip()[:40], "not in an element with dir=auto or <bdi>"))

    def _check(self, tag: str, attributes: dict[str, str | None], whole: str) -> None:
        """An isolating element holds the person's words alone, not the page's own words around them."""
        if (tag == "bdi" or attributes.get("dir") == "auto") and RIGHT_TO_LEFT.search(whole):
            if tag in ("textarea",):
                return
            if not _typed(whole.strip()):
                self.found.append((whole.strip()[:60], f"<{tag} dir=auto> holds more than the typed text"))


def _typed(text: str) -> bool:
    """Whether `text` is one typed value, whole or cut with "…", or several separated by commas."""
    values = [v.strip() for v in re.split(r"[,;\n]|<br>", text) if v.strip()]
    typed = {" ".join(v.split()) for v in TEXTS.values()} | {TEXTS["name"].split()[0]}  # and a first name
    return all(
        any(" ".join(v.split()) == t or (v.endswith("…") and t.startswith(" ".join(v[:-1].split()))) for t in typed)
        or not RIGHT_TO_LEFT.search(v)
        for v in values
    )


def _direction(text: str) -> str:
    """The paragraph direction Unicode's bidi rule (P2, P3) gives: from the first strong letter."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def problems(html: str) -> list[tuple[str, str]]:
    parser = _Texts()
    parser.feed(html)
    parser.close()
    return parser.found


def test_every_therapist_page_sets_typed_right_to_left_text_in_its_own_direction(world):
    app = world["app"]
    client = app.test_client()
    login(client, "dana@clinic.example")
    seen, wrong = 0, {}
    for path in therapist_pages(world):
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        seen += bool(RIGHT_TO_LEFT.search(html))
        if found := problems(html):
            wrong[path] = found
    assert seen >= 10, "the pages should show the typed words"
    assert not wrong, "\n".join(f"{path}: {what}: {text!r}" for path, found in wrong.items() for text, what in found)


def test_the_phone_page_sets_typed_right_to_left_text_in_its_own_direction(world):
    client = world["app"].test_client()
    html = client.get(f"/p/{world['token']}").get_data(as_text=True)
    assert TEXTS["exercise"] in html and TEXTS["item_note"] in html and TEXTS["step"] in html
    assert not problems(html)


@pytest.mark.parametrize(
    "name, direction",
    [
        ("ألم الرقبة عند الاستيقاظ والجلوس الطويل أمام الحاسوب", "rtl"),
        ("כאב ראש חזק אחרי עבודה ארוכה מול המחשב בערב", "rtl"),
        ("Tremor of the head when tired — رعشة الرأس", "ltr"),
        ("רעד Tremor of the head when writing for long", "rtl"),
        ("ألم", "rtl"),
    ],
)
def test_a_timeline_row_named_right_to_left_reads_in_its_direction_and_is_cut_at_its_end(name, direction):
    svg = str(draw(Timeline((), (), (Row(name, 0, 10, ((TODAY, 4.0),)),), TODAY), "bidi"))
    [label] = re.findall(r"<text [^>]*><title>[^<]*</title>([^<]*)</text>", svg)
    tag = re.search(r"<text ([^>]*)><title>", svg).group(1)
    assert f'direction="{direction}"' in tag
    # Its left edge at the names' column either way: in right-to-left text the end is the left.
    assert ('text-anchor="end"' in tag) == (direction == "rtl")
    if len(name) > 30:  # cut: the "…" is the last letter read, whichever way the name reads
        assert label.endswith("…") and name.startswith(label[:-1])
    else:
        assert label == name
    assert not problems(svg)
