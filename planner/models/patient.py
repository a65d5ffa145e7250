"""Patients of a clinic."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, UTCDateTime, utcnow
from planner.models.clinic import User


class Patient(Base):
    __tablename__ = "patients"
    # The patient list: a clinic's patients by name, a page at a time, active ones told apart
    # without reading the rows (services/patients.list_patients).
    __table_args__ = (Index("ix_patients_list", "clinic_id", "name_search", "id", "archived_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # What the phone page and the patient's emails call the patient ("María José"); "" for none
    # recorded: the phone page then says only "Hello", the emails use the whole name.
    preferred_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    # Lower-cased name, so the search by name is the same on SQLite and PostgreSQL.
    name_search: Mapped[str] = mapped_column(String(120), index=True)
    date_of_birth: Mapped[date | None] = mapped_column(Date, nullable=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    language: Mapped[str] = mapped_column(String(10), default="en")
    large_print: Mapped[bool] = mapped_column(Boolean, default=False)
    # The patient agreed to be emailed when a re-evaluation is due.
    reminder_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    condition: Mapped[str] = mapped_column(Text, default="")
    condition_tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    primary_therapist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    primary_therapist: Mapped[User | None] = relationship()

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def called_name(self) -> str:
        """The name the patient's emails and the therapist's sentences about them use: the
        preferred name when recorded, else the whole name. Never a guess at a first name: the
        first word of "María José Fernández" or of "Nagy Ilona" is not what either is called."""
        return self.preferred_name or self.name


NAME_KEY_LENGTH = 20  # a longer search word is found by its first 20 characters, then checked whole


class PatientNameKey(Base):
    """Where a word can start in a patient's name: the folded name without its spaces
    (services/patients.name_keys), from each of its characters on, at most NAME_KEY_LENGTH of them.

    A search word is in the name exactly when it starts one of these, so the patient search is a
    range on the index (clinic, key) instead of LIKE '%word%' over every name of the clinic: its
    cost follows the patients found, not the clinic's size; for a word that many names hold, a
    probe of (patient, key) per name read in order, up to a page's worth.
    """

    __tablename__ = "patient_name_keys"
    __table_args__ = (
        Index("ix_patient_name_keys_search", "clinic_id", "key", "patient_id"),
        # Whether one patient's name holds a word: one probe, so a search for a word thousands of
        # names hold walks the names in order and stops at a page (services/patients._search).
        Index("ix_patient_name_keys_patient_key", "patient_id", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    # Compared by code point on both databases, as exercise_words.word (models/exercise.py).
    key: Mapped[str] = mapped_column(
        String(NAME_KEY_LENGTH).with_variant(String(NAME_KEY_LENGTH, collation="C"), "postgresql")
    )
