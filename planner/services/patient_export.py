"""A patient's data, exported whole: every row about them as JSON, the handout, a FHIR R4 Bundle.

The ZIP is what a patient asks for under data-protection law (access and portability), and what
a clinic hands to the next provider. Exporting reads only: it never marks a version as given.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.dystonia.sentences import NOT_SET, SIDE_NOT_SET, STOP_FOR_NEW_SHEET
from planner.handouts.build import build_given_handout
from planner.handouts.styles import HandoutOptions
from planner.i18n import translator
from planner.languages import handout_language
from planner.models import Clinic, Exercise, Patient, Program, User
from planner.scoping import scoped
from planner.services import fhir
from planner.services.faults import HandoutNotMade
from planner.services.file_names import handout_file_name, handout_title
from planner.services.given import given_version
from planner.services.measures import measures_for
from planner.services.paper_differs import NO_SIDE_NOW
from planner.services.paper_state import last_given
from planner.services.patient_rows import AUDIT, PATIENT_TABLES, PatientTable
from planner.services.patterns import CHECK_FIRST

FORMAT = "home-exercise-planner/patient-export/1"
DATA_FILE = "patient.json"
FHIR_FILE = "fhir-bundle.json"
README_FILE = "README.txt"

# Keys of the patient's private link: they open the phone page, mean nothing to the patient, and
# an export may travel by email. The rest of each link row (when made, stopped, expires) goes out.
WITHHELD = {
    ("patient_links", "nonce"),
    ("patient_links", "token_hash"),
    ("exercise_reminders", "nonce"),
    ("exercise_reminders", "token_hash"),
}


def readme(
    clinic: str,
    day: date,
    handouts: list[str],
    waiting: list[str],
    language: str,
    checking: list[str] | None = None,
    not_given: list[str] | None = None,
    unmade: list[str] | None = None,
) -> str:
    """README.txt in the patient's handout language (each sentence one gettext message): what
    the folder holds, for the patient who asked for it. `clinic` "" when none is known;
    `waiting`: titles of programs with no handout yet (a side not set); `checking`: those whose
    exercises the dystonia pattern flags wait for the therapist's check (given.moved_since);
    `not_given`: those the therapist has not given the patient yet (never printed, emailed or shared);
    `unmade`: those whose handout could not be made (a fault on our side, logged: handouts.build_handout)."""
    checking, not_given, unmade = checking or [], not_given or [], unmade or []
    t = translator(language)
    lines = [
        t.gettext("This is your data from the Home Exercise Planner of %(clinic)s.", clinic=clinic)
        if clinic
        else t.gettext("This is your data from your clinic's Home Exercise Planner."),
        t.gettext("It was exported on %(day)s.", day=t.full_date(day)),
        "",
        t.gettext("What is in this folder:"),
        "- " + t.gettext("%(file)s: everything the clinic keeps about you in the planner.", file=DATA_FILE),
        "  " + t.gettext("This includes your programs, check-ups, phone ticks and emails."),
        "- " + t.gettext("%(file)s: your care plan in FHIR R4.", file=FHIR_FILE),
        "  " + t.gettext("Other health computer systems can read this format."),
        *("- " + t.gettext("%(file)s: the exercise handout you have now.", file=name) for name in handouts),
        *(
            "- "
            + t.gettext(
                "No handout yet for “%(title)s”: the clinic has not set which way to move in an exercise.",
                title=title,
            )
            for title in waiting
        ),
        *(
            "- "
            + t.gettext(
                "No handout yet for “%(title)s”: an exercise waits for your therapist to check it.", title=title
            )
            for title in checking
        ),
        *(
            "- " + t.gettext("No handout yet for “%(title)s”: your therapist has not given it to you yet.", title=title)
            for title in not_given
        ),
        *(
            "- "
            + t.gettext(
                "No handout for “%(title)s”: it could not be made. Ask your clinic for a printed copy.", title=title
            )
            for title in unmade
        ),
        *(
            ["- " + t.gettext("No handout: you have no active exercise program.")]
            if not handouts + waiting + checking + not_given + unmade
            else []
        ),
        "",
        t.gettext("Questions? Ask your clinic. They can explain each part."),
    ]
    return "\n".join(lines) + "\n"


def json_value(value: Any) -> Any:
    """A column's value as JSON: dates and times in ISO 8601, bytes in base64, numbers and text as they are."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rows(session: Session, table: PatientTable, patient_id: int) -> list[dict[str, Any]]:
    columns = table.model.__table__.columns  # type: ignore[attr-defined]
    query = select(*columns).where(table.rows(patient_id)).order_by(*table.model.__table__.primary_key.columns)  # type: ignore[attr-defined]
    return [
        {
            name: None if (table.name, name) in WITHHELD else json_value(value)
            for name, value in row._mapping.items()  # noqa: SLF001  (SQLAlchemy's public row mapping)
        }
        for row in session.execute(query)
    ]


def patient_data(session: Session, patient: Patient, now: datetime) -> dict[str, Any]:
    """Every column of every row about the patient, table by table, with the names its ids point to.

    Shape: {"format", "exported_at", "patient_id", "tables": {table name: [row, ...]},
    "withheld": ["table.column", ...] (present in the rows as null), "references": {"clinic",
    "users", "exercises", "measures"}, "given": [...] (`given`)}. Times are ISO 8601 in UTC.
    """
    tables = {t.name: _rows(session, t, patient.id) for t in (*PATIENT_TABLES, AUDIT)}
    return {
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "patient_id": patient.id,
        "tables": tables,
        "withheld": sorted(f"{table}.{column}" for table, column in WITHHELD),
        "references": _references(session, patient, tables),
        "given": given(session, patient),
    }


def given(session: Session, patient: Patient) -> list[dict[str, Any]]:
    """Per program of the patient (oldest first), what they were given: {"program_id",
    "given_version" (the number of the program_versions row whose snapshot the patient's paper,
    phone page and FHIR's active CarePlan show; null when never given), "given_at" (ISO 8601, UTC;
    null), "program_differs" (true while the programs and program_items rows hold changes the
    patient was not given: an edit, a direction a re-evaluation moved, a clinic's own exercise
    edited; paper_state.last_given)}."""
    found = []
    for program in session.scalars(
        scoped(Program, patient.clinic_id).where(Program.patient_id == patient.id).order_by(Program.id)
    ):
        last = last_given(session, program)
        found.append(
            {
                "program_id": program.id,
                "given_version": last.number if last else None,
                "given_at": json_value(last.given_at) if last else None,
                "program_differs": last.differs if last else False,
            }
        )
    return found


def _user_columns(table: PatientTable) -> list[str]:
    """The columns of `table` that name a person: each with a foreign key to users, so a column
    added later (a version's giver, a pattern's recorder) is named in the export without a list
    here to keep in step."""
    columns = table.model.__table__.columns  # type: ignore[attr-defined]
    return [c.name for c in columns if any(fk.column.table.name == User.__tablename__ for fk in c.foreign_keys)]


def _references(session: Session, patient: Patient, tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """What the ids in the rows name: the clinic, its people, the exercises and the measures."""
    clinic = session.get(Clinic, patient.clinic_id)
    user_ids = {
        row[column]
        for table in (*PATIENT_TABLES, AUDIT)
        for column in _user_columns(table)
        for row in tables[table.name]
        if row.get(column)
    }
    exercise_ids = {row["exercise_id"] for name in ("program_items", "exercise_logs") for row in tables[name]}
    measure_keys = {row["measure"] for row in tables["measure_values"]}
    users: Iterable[User] = (
        session.scalars(select(User).where(User.id.in_(user_ids)).order_by(User.id)) if user_ids else []
    )
    exercises = session.scalars(select(Exercise).where(Exercise.id.in_(exercise_ids)).order_by(Exercise.id))
    return {
        "clinic": {"id": clinic.id, "name": clinic.name, "address": clinic.address, "phone": clinic.phone}
        if clinic
        else None,
        "users": [{"id": u.id, "name": u.name} for u in users],
        "exercises": [{"id": e.id, "slug": e.slug, "name": e.name} for e in exercises],
        "measures": [
            {"key": m.key, "name": m.name, "unit": m.unit}
            for m in measures_for(session, patient.clinic_id)
            if m.key in measure_keys
        ],
    }


def current_programs(session: Session, patient: Patient) -> list[Program]:
    """The programs the patient follows now (not archived), oldest first: each has a current handout."""
    return list(
        session.scalars(
            scoped(Program, patient.clinic_id)
            .where(Program.patient_id == patient.id, Program.archived_at.is_(None))
            .order_by(Program.id)
        )
    )


def handout_name(program: Program, language: str, taken: Iterable[str] = (), title: str | None = None) -> str:
    """The handout's file name in the ZIP, from the title it prints in `language`
    ("su-programa-en-casa-para-escribir.pdf"): `title`, the given version's, else the program's;
    with the program's id when a name in `taken` has it."""
    name = handout_file_name(program.title if title is None else title, language)
    return name if name not in set(taken) else f"{name.removesuffix('.pdf')}-{program.id}.pdf"


def export_zip(
    session: Session, patient: Patient, now: datetime, options: HandoutOptions, public_url: str = ""
) -> bytes:
    """The ZIP: README.txt, patient.json, fhir-bundle.json and the handout the patient was given
    of each active program (its last given version's paper: given.py; none for a program never
    given); the README and the handouts in the patient's handout language (`options.languages`).

    The same data and `now` give the same bytes. The handouts carry no QR code: the patient's
    private link does not leave in an export. `public_url` names our FHIR code systems. A handout
    that cannot be made is left out (the README says so; the fault is logged), never the export.
    :raise ValueError: for a bad [handouts] setting.
    """
    handouts: list[tuple[str, bytes]] = []
    waiting: list[str] = []
    checking: list[str] = []
    not_given: list[str] = []
    unmade: list[str] = []
    language = handout_language(patient.language, options.languages)  # the handouts' language too
    for program in current_programs(session, patient):
        # The paper the patient was given (its last given version, as the phone page's PDF), never
        # an edit the therapist has not given: the README calls it "the handout you have now".
        handed = given_version(session, program)
        if handed is None:
            not_given.append(handout_title(program.title, language))
            continue
        title = handout_title(handed.title, language)
        waits = {item.wait for item in handed.items}
        if waits & {NOT_SET, SIDE_NOT_SET} or any(item.why_moved == NO_SIDE_NOW for item in handed.items):
            # No handout names no side (patterns.refuse_unset_directions): the README says why.
            waiting.append(title)
            continue
        if waits & {CHECK_FIRST, STOP_FOR_NEW_SHEET}:
            # Nor one with exercises the pattern flags that the therapist has not checked, or that
            # a re-evaluation since has changed (the patient stops them until the new sheet).
            checking.append(title)
            continue
        name = handout_name(program, language, (n for n, _ in handouts), handed.snapshot.get("title"))
        try:
            handouts.append((name, build_given_handout(session, handed, now, None, options, language)))
        except HandoutNotMade:  # the rest of the patient's data still leaves; the README says so
            unmade.append(title)
    clinic = session.get(Clinic, patient.clinic_id)
    made = [name for name, _ in handouts]
    text = readme(clinic.name if clinic else "", now.date(), made, waiting, language, checking, not_given, unmade)
    files = [
        (README_FILE, text.encode()),
        (DATA_FILE, _json(patient_data(session, patient, now))),
        (FHIR_FILE, _json(fhir.bundle(session, patient, now, public_url))),
        *handouts,
    ]
    buffer = io.BytesIO()
    stamp = now.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16  # readable by its owner only, once unpacked
            archive.writestr(info, data)
    return buffer.getvalue()


def _json(data: dict[str, Any]) -> bytes:
    # Letters of every script stay readable (no \\u escapes); sorted keys keep the bytes stable.
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
