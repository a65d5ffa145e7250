"""Home programs: a patient's exercises with dosage, advice, re-evaluation plan, and versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, UTCDateTime, utcnow
from planner.models.clinic import User
from planner.models.exercise import Exercise
from planner.models.patient import Patient

# How the handout lays out the exercises: several a page (the default), or each on a page of
# its own for a patient who finds that easier to follow.
COMPACT, ONE_PER_PAGE = "compact", "page"
HANDOUT_LAYOUTS = (COMPACT, ONE_PER_PAGE)


class Program(Base):
    """The current version of a program; older issued versions live in ProgramVersion."""

    __tablename__ = "programs"
    # The dashboard and the calendar feed: a therapist's active programs in order of the next
    # re-evaluation, read a page at a time (services/dashboard.py).
    # The dashboard's handouts to print again: the same, by the day a pattern moved the paper.
    __table_args__ = (
        Index("ix_programs_therapist_due", "therapist_id", "archived_at", "reeval_due_on", "id"),
        Index("ix_programs_therapist_moved", "therapist_id", "archived_at", "paper_moved_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    therapist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    title: Mapped[str] = mapped_column(String(120))
    goals: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date] = mapped_column(Date)
    frequency: Mapped[str] = mapped_column(String(200), default="")
    visit_plan: Mapped[str] = mapped_column(String(200), default="")
    reeval_interval_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reeval_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The next re-evaluation date as services/reevaluation.next_reevaluation computes it from the
    # fields above and the latest evaluation; kept in the row (by that module, on every flush that
    # changes a program or an evaluation) so that lists find due programs through an index.
    reeval_due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    advice: Mapped[list[str]] = mapped_column(JSON, default=list)
    advice_text: Mapped[str] = mapped_column(Text, default="")
    handout_layout: Mapped[str] = mapped_column(String(10), default=COMPACT, server_default=COMPACT)
    # The number of the current version, and whether it has been issued (printed, emailed,
    # shared). A change to an issued version starts the next one, so what the patient holds
    # stays readable.
    version: Mapped[int] = mapped_column(Integer, default=1)
    issued: Mapped[bool] = mapped_column(Boolean, default=False)
    version_date: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The check the therapist last confirmed for exercises the dystonia pattern flags
    # (services/patterns.check_key); "" for none. Only a program checked as it is now reaches the
    # patient with such an exercise (print, email, share, the phone page and its PDF).
    checked_key: Mapped[str] = mapped_column(String(16), default="", server_default="")
    # The date of the recorded pattern that made the patient's paper (the last version given)
    # differ from it: an exercise on it the pattern now sets otherwise or flags, which the phone
    # holds back (services/pattern_recording.note_moved_papers, at each recording); None while the paper agrees.
    # Giving a version clears it. The dashboard and the patient's page read it: no pattern applied.
    paper_moved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Bumped by every save; a save that carries an older number was made on a stale page.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    patient: Mapped[Patient] = relationship()
    therapist: Mapped[User | None] = relationship()
    items: Mapped[list[ProgramItem]] = relationship(
        back_populates="program", order_by="ProgramItem.position", cascade="all, delete-orphan"
    )
    versions: Mapped[list[ProgramVersion]] = relationship(
        back_populates="program", order_by="ProgramVersion.number", cascade="all, delete-orphan"
    )

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def compact_handout(self) -> bool:
        """Whether its handout is compact (several exercises a page): that layout leaves out each
        exercise's own tips (handouts/block.py), which the builder tells beside Print."""
        return self.handout_layout != ONE_PER_PAGE


class ProgramItem(Base):
    __tablename__ = "program_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id"))
    dosage: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # "" for work without a side (breathing, the middle of the head); else left, right or both.
    side: Mapped[str] = mapped_column(String(10), default="")
    # A side saved before migration 0019, when adding an exercise stored the pattern's side as if the
    # therapist chose it: no one can tell which it was, so the builder asks the therapist to confirm
    # it, and a direction-specific exercise whose saved side differs from the pattern's is held back
    # until then (migrations/versions/0019_review_stored_sides.py, direction.py rule 6).
    side_to_confirm: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    note: Mapped[str] = mapped_column(Text, default="")

    program: Mapped[Program] = relationship(back_populates="items")
    # Items are shown with their exercise (builder, handout, coverage): one query for all of a
    # program's exercises instead of one per item.
    exercise: Mapped[Exercise] = relationship(lazy="selectin")


class ProgramVersion(Base):
    """A frozen copy of an issued version: what the patient was given, readable forever."""

    __tablename__ = "program_versions"
    __table_args__ = (UniqueConstraint("program_id", "number", name="uq_program_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    how: Mapped[str] = mapped_column(String(20), default="print")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)

    program: Mapped[Program] = relationship(back_populates="versions")
    # Every time this same paper went to the patient, the first included (`created_at` and `how`
    # above are that first time: when the version was frozen, which is what "given" means).
    givings: Mapped[list[VersionGiving]] = relationship(
        back_populates="version",
        order_by=lambda: (VersionGiving.given_at, VersionGiving.id),
        cascade="all, delete-orphan",
    )


# How a version reaches the patient (VersionGiving.how: printed, emailed, shared to the phone,
# exported by the CLI), and how the Versions pages list it: the one list of the ways.
GIVEN_WAYS = {"print": "Printed", "email": "Emailed", "share": "Phone link made", "export": "Exported (command line)"}


class VersionGiving(Base):
    """One time an issued version was given: how (GIVEN_WAYS), when (UTC) and by whom (None: a command).

    Printing and then emailing the same version freezes it once and gives it twice.
    """

    __tablename__ = "version_givings"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("program_versions.id", ondelete="CASCADE"), index=True)
    how: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    version: Mapped[ProgramVersion] = relationship(back_populates="givings")


class ProgramTemplate(Base):
    """A reusable program: shipped with the app (clinic_id NULL) or saved by a clinic."""

    __tablename__ = "program_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinics.id"), nullable=True, index=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # Title, goals, frequency, visit plan, re-evaluation interval, advice and items
    # ({"exercise": slug, "dosage": {...}, "side": ..., "note": ...}).
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ClinicAdvice(Base):
    """A line of schedule or surroundings advice a clinic added to the built-in list."""

    __tablename__ = "clinic_advice"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    text: Mapped[str] = mapped_column(String(300))
