"""The patient's private link: its token (typable from the handout, or the base64 one of links made
before), made, found, revoked and resolved; one working link per patient. The pages it opens, and
the link's full address, are services/portal.py's.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ScalarSelect, Select, bindparam, select
from sqlalchemy.orm import Session, configure_mappers, joinedload

from planner.models import Patient
from planner.models.portal import PatientLink
from planner.services import NotFound

TOKEN_CHARS = 22  # 132 bits: unguessable, yet short enough to type from a printed handout
# A patient link's token is typed from the handout: lowercase letters and digits without the ones
# a reader takes for another (l and 1, o and 0), so no shift key and no guess. 32 signs, 5 bits
# each: 26 of them are 130 bits. Links made before keep their base64 token (link_token).
TYPABLE = "23456789abcdefghijkmnpqrstuvwxyz"
TYPABLE_CHARS = 26
_FROM_BASE32 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", TYPABLE)


def derive_token(secret_key: str, nonce: str) -> str:
    """The token of a stop link, and of a patient link made before typable_token: only the app,
    which holds the secret key, can compute it from the nonce. URL-safe base64, 22 signs."""
    digest = hmac.new(secret_key.encode(), f"patient-link:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:TOKEN_CHARS]


def typable_token(secret_key: str, nonce: str) -> str:
    """A new patient link's token: the same secret as derive_token's, written in TYPABLE
    (TYPABLE_CHARS signs), so a patient types it from the handout without mistaking a sign."""
    digest = hmac.new(secret_key.encode(), f"patient-link:{nonce}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().translate(_FROM_BASE32)[:TYPABLE_CHARS]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_link(session: Session, patient_id: int, now: datetime) -> PatientLink | None:
    """The patient's working link: not revoked and not expired."""
    return current_links(session, [patient_id], now).get(patient_id)


def current_links(session: Session, patient_ids: list[int], now: datetime) -> dict[int, PatientLink]:
    """current_link for many patients in one query; patients without a working link are left out."""
    latest: dict[int, PatientLink] = {}
    for link in session.scalars(_WORKING_LINKS, {"patient_ids": sorted(set(patient_ids))}):
        latest[link.patient_id] = link  # the newest wins
    return {patient_id: link for patient_id, link in latest.items() if link_works(link.expires_at, now)}


def link_works(expires_at: datetime | None, now: datetime) -> bool:
    """Whether a patient's newest link not revoked still works at `now` (None: it never expires)."""
    return expires_at is None or expires_at > now


def newest_link_columns(patient_id: Any) -> tuple[ScalarSelect[Any], ScalarSelect[Any]]:
    """The id and expiry of the patient's newest link not revoked (the one current_link picks), as
    two columns for a statement that reads the patient anyway (`patient_id`: its column there).
    The link works when the id is not None and link_works(expiry, now)."""
    newest = (
        select(PatientLink.id)
        .where(PatientLink.patient_id == patient_id, PatientLink.revoked_at.is_(None))
        .order_by(PatientLink.id.desc())
        .limit(1)
    )
    return newest.scalar_subquery(), newest.with_only_columns(PatientLink.expires_at).scalar_subquery()


# current_links' statement, built once (the handout and the patient's page ask on every view).
_WORKING_LINKS = (
    select(PatientLink)
    .where(PatientLink.patient_id.in_(bindparam("patient_ids", expanding=True)), PatientLink.revoked_at.is_(None))
    .order_by(PatientLink.id)
)


def create_link(
    session: Session, patient: Patient, secret_key: str, now: datetime, expiry_days: int | None = None
) -> tuple[PatientLink, str]:
    """A new link for the patient; any older one stops working (one link per patient).

    The link does not depend on the program: editing or versioning a program keeps it working.
    """
    revoke_link(session, patient, now)
    nonce = secrets.token_hex(32)
    token = typable_token(secret_key, nonce)
    link = PatientLink(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        nonce=nonce,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(days=expiry_days) if expiry_days else None,
    )
    session.add(link)
    session.flush()
    return link, token


def link_token(link: PatientLink, secret_key: str) -> str:
    """The link's token, to print or send again: typable_token's for a link made since, the
    base64 one (derive_token) for a link made before, which keeps working as printed."""
    token = typable_token(secret_key, link.nonce)
    return token if hash_token(token) == link.token_hash else derive_token(secret_key, link.nonce)


def revoke_link(session: Session, patient: Patient, now: datetime) -> bool:
    """Stop every link of the patient; True when one was working."""
    links = session.scalars(
        select(PatientLink).where(PatientLink.patient_id == patient.id, PatientLink.revoked_at.is_(None))
    ).all()
    for link in links:
        link.revoked_at = now
    session.flush()
    return bool(links)


@functools.cache
def _link() -> Select[Any]:
    """A link with its patient and the patient's outcome plan (the questions due), joined: every
    page of the link reads the patient, the phone page the plan too. Built once, at first use:
    `outcome_plan` is a backref, which exists once the mappers are configured."""
    configure_mappers()
    return (
        select(PatientLink)
        .where(PatientLink.token_hash == bindparam("token_hash"))
        .options(joinedload(PatientLink.patient).joinedload(Patient.outcome_plan))  # type: ignore[attr-defined]
    )


def resolve(session: Session, token: str, now: datetime) -> PatientLink:
    """The link for a token, with its patient and the patient's outcome plan: the token as printed or
    sent (either kind, see link_token), or a typable one typed with capitals.

    :raise NotFound: for a wrong, revoked or expired token alike, so the answer gives no hint.
    """
    if not token or len(token) > 100:
        raise NotFound()
    link = session.scalars(_link(), {"token_hash": hash_token(token)}).first()
    if link is None and token.lower() != token and set(token.lower()) <= set(TYPABLE):
        # A typable token typed with capitals (a phone that starts a word with one): the same link.
        link = session.scalars(_link(), {"token_hash": hash_token(token.lower())}).first()
    if link is None or link.revoked_at is not None or (link.expires_at is not None and link.expires_at <= now):
        raise NotFound()
    return link
