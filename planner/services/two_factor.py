"""Two-factor sign-in: time-based one-time passwords (RFC 6238) and single-use recovery codes.

An authenticator app and the server share a key; each 30-second step gives a 6-digit code
(HMAC-SHA-1, pyotp). A code of the step before or after is accepted too, for a phone clock a
little off. The step of the last code accepted is stored, and no code of that step or an
earlier one is accepted again, so a code seen over a shoulder cannot be replayed.

The key is stored encrypted (Fernet) under a key derived from the server's secret key: a copy
of the database alone gives no one the codes. Changing the secret key therefore makes every
stored key unreadable; people then sign in with a recovery code and set up their app again.

Recovery codes are 16 characters from a 32-letter alphabet (80 random bits), so a plain SHA-256
is enough to store them: no guessing at any speed gets through 2^80. (A slow hash is for
passwords, which people choose.) A hash also lets one indexed query find the code.

Wrong codes at sign-in count as failed sign-ins (accounts.refuse_if_throttled), like wrong passwords.
No Flask here: the pages, the CLI and the tests call these functions with `now` as a parameter.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from planner import passwords
from planner.models import Clinic, LoginAttempt, RecoveryCode, TwoFactor, User
from planner.services import DomainError
from planner.services.accounts import SignInRefused, Throttle, refuse_if_throttled

STEP_SECONDS = 30
DIGITS = 6
ISSUER = "Home Exercise Planner"
RECOVERY_CODE_COUNT = 10
# Crockford's base32: no I, L, O or U, so a code read off paper is not mistyped.
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
RECOVERY_LENGTH = 16
_READ_AS = str.maketrans({"o": "0", "i": "1", "l": "1"})


@dataclass(frozen=True)
class Enrolment:
    """A key waiting for its first code: `secret` in base32 (what a person types into the app),
    `uri` the otpauth:// address a QR code carries."""

    secret: str
    uri: str


@dataclass(frozen=True)
class SecondFactor:
    """How a sign-in was completed: "app" or "recovery", and the recovery codes still unused."""

    kind: str
    recovery_left: int


class KeyUnreadable(SignInRefused):
    """The stored key was encrypted under another secret key."""


# ---- the stored key -------------------------------------------------------------------------


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"planner two-factor key").derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _encrypt(secret: str, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(secret.encode()).decode()


def _decrypt(row: TwoFactor, secret_key: str) -> str:
    """:raise KeyUnreadable: when the row was encrypted under another secret key."""
    try:
        return _fernet(secret_key).decrypt(row.secret_encrypted.encode()).decode()
    except InvalidToken:
        raise KeyUnreadable(
            "Your authenticator app's key can no longer be read: the server's secret key changed. "
            "Use one of your recovery codes instead, then set up the app again."
        ) from None


def _row(session: Session, user: User) -> TwoFactor | None:
    return session.scalars(select(TwoFactor).where(TwoFactor.user_id == user.id)).first()


def enrolled(session: Session, user: User) -> bool:
    """True when the user has a confirmed authenticator key, so sign-in asks for a code."""
    row = _row(session, user)
    return row is not None and row.confirmed_at is not None


def needs_enrolment(session: Session, user: User) -> bool:
    """True when the user's clinic requires two-factor sign-in and the user has not set it up."""
    return user.clinic.require_two_factor and not enrolled(session, user)


def enrolled_since(session: Session, user: User) -> datetime | None:
    row = _row(session, user)
    return row.confirmed_at if row else None


# ---- codes ----------------------------------------------------------------------------------


def code_at(secret: str, moment: datetime) -> str:
    """The 6-digit code an authenticator app shows at `moment` (aware datetime) for this base32 key."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).at(moment)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The step (of now, one before or one after) whose code this is; None when none matches."""
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    step = totp.timecode(now)
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def _accept_step(session: Session, row: TwoFactor, step: int) -> bool:
    """Record the step as used; False when it (or a later one) was used already.

    One conditional UPDATE, so two requests with the same code cannot both pass.
    """
    # An UPDATE gives a CursorResult, which counts the rows it changed.
    done = cast(
        CursorResult[Any],
        session.execute(
            update(TwoFactor)
            .where(TwoFactor.id == row.id, (TwoFactor.last_step.is_(None)) | (TwoFactor.last_step < step))
            .values(last_step=step)
            .execution_options(synchronize_session=False)
        ),
    )
    if done.rowcount == 1:
        set_committed_value(row, "last_step", step)  # the row in memory agrees, with no second UPDATE
        return True
    return False


def _digits(code: str) -> str:
    """The code without spaces, its digits in ASCII: "١٢٣ ٤٥٦" or "１２３４５６" from another keyboard is 123456."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in "".join(code.split()))


def _hash_recovery(code: str) -> str | None:
    """The stored hash of a recovery code as typed (any case, spaces or dashes); None when it cannot be one."""
    cleaned = "".join(ch for ch in code.lower() if ch not in " -").translate(_READ_AS)
    if len(cleaned) != RECOVERY_LENGTH or any(ch not in RECOVERY_ALPHABET for ch in cleaned):
        return None
    return hashlib.sha256(cleaned.encode()).hexdigest()


def _make_recovery_codes(session: Session, user: User, now: datetime) -> list[str]:
    """Replace the user's recovery codes with ten new ones, returned as "xxxx-xxxx-xxxx-xxxx"."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        session.add(RecoveryCode(user_id=user.id, code_hash=hashlib.sha256(raw.encode()).hexdigest(), created_at=now))
        codes.append("-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4)))
    session.flush()
    return codes


def recovery_codes_left(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count(RecoveryCode.id)).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


# ---- setting it up --------------------------------------------------------------------------


def start_enrolment(session: Session, user: User, secret_key: str, now: datetime) -> Enrolment:
    """The key for the user to put into an authenticator app, kept unconfirmed until a code from it
    is typed. Asking again gives the same key (a page reload shows the same QR code), unless it
    can no longer be read.

    :raise DomainError: when two-factor sign-in is already set up for the user.
    """
    row = _row(session, user)
    if row is not None and row.confirmed_at is not None:
        raise DomainError("Two-factor sign-in is already set up. Turn it off first to use a new phone.")
    secret = None
    if row is not None:
        try:
            secret = _decrypt(row, secret_key)
        except KeyUnreadable:
            secret = None
    if secret is None:
        secret = pyotp.random_base32()  # 32 characters: 160 bits, as RFC 4226 recommends
        if row is None:
            row = TwoFactor(user_id=user.id, created_at=now)
            session.add(row)
        row.secret_encrypted = _encrypt(secret, secret_key)
        session.flush()
    uri = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return Enrolment(secret=secret, uri=uri)


def confirm_enrolment(session: Session, user: User, code: str, secret_key: str, now: datetime) -> list[str]:
    """Switch two-factor sign-in on once the user types a code from the app; returns the ten
    recovery codes, shown once and stored only as hashes.

    :raise DomainError: (field "code") when the code does not match, or nothing is being set up.
    """
    row = _row(session, user)
    if row is None or row.confirmed_at is not None:
        raise DomainError("Start setting up two-factor sign-in first.", "code")
    secret = _decrypt(row, secret_key)
    step = _matching_step(secret, _digits(code), now)
    if step is None:
        raise DomainError(
            "That code does not match. Type the 6 digits your app shows now. Check the phone's clock is right.",
            "code",
        )
    row.confirmed_at = now
    row.last_step = step
    session.flush()
    return _make_recovery_codes(session, user, now)


def new_recovery_codes(session: Session, user: User, password: str, now: datetime) -> list[str]:
    """Ten fresh recovery codes; the old ones stop working.

    :raise DomainError: (field "password") for a wrong password; (no field) when two-factor is off.
    """
    if not enrolled(session, user):
        raise DomainError("Two-factor sign-in is not set up.")
    if not passwords.check_password(user.password_hash, password):
        raise DomainError("The password is not right.", "password")
    return _make_recovery_codes(session, user, now)


def _remove(session: Session, user: User) -> None:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))


def turn_off(session: Session, user: User, password: str) -> bool:
    """Remove the user's key and recovery codes. Where the clinic requires two-factor sign-in,
    the user's sessions end too (returns True), so they set up a new phone at the next sign-in.

    :raise DomainError: (field "password") for a wrong password.
    """
    if not passwords.check_password(user.password_hash, password):
        raise DomainError("The password is not right.", "password")
    _remove(session, user)
    if user.clinic.require_two_factor:
        user.session_version += 1
    session.flush()
    return user.clinic.require_two_factor


def reset(session: Session, actor: User, user: User) -> None:
    """An administrator removes a therapist's key and codes (a lost phone and lost codes) and ends
    their sessions; they sign in with the password alone, or set up again where it is required.

    :raise DomainError: when the administrator would reset their own (turn it off instead).
    """
    if actor.id == user.id:
        raise DomainError("Use your own Two-factor sign-in page to change yours.")
    _remove(session, user)
    user.session_version += 1
    session.flush()


def set_requirement(session: Session, actor: User, clinic: Clinic, required: bool) -> list[User]:
    """Require two-factor sign-in for everyone of the clinic, or stop requiring it.

    Turning it on ends the sessions of everyone without it (returned), who then set it up at
    their next sign-in; it needs the administrator's own set up first, so they are not locked out.

    :raise DomainError: when the administrator has not set up two-factor sign-in themself.
    """
    signed_out: list[User] = []
    if required and not clinic.require_two_factor:
        if not enrolled(session, actor):
            raise DomainError("Set up two-factor sign-in for yourself first.", "required")
        for user in clinic.users:
            if not enrolled(session, user):
                user.session_version += 1
                signed_out.append(user)
    clinic.require_two_factor = required
    session.flush()
    return signed_out


# ---- signing in -----------------------------------------------------------------------------


def check_sign_in_code(
    session: Session,
    user: User,
    code: str,
    secret_key: str,
    address: str,
    now: datetime,
    throttle: Throttle = Throttle(),
) -> SecondFactor:
    """The second step of signing in: a code from the app (6 digits) or an unused recovery code.

    The attempt is recorded in login_attempts like a password's, and committed: wrong codes count
    towards the same limits, per account and per address.

    :raise SignInRefused: when throttled, for a wrong, reused or older code, or an unreadable key.
    """
    refuse_if_throttled(session, user.email, address, now, throttle)
    row = _row(session, user)
    if row is None or row.confirmed_at is None:
        raise SignInRefused("Two-factor sign-in is not set up for this account.")
    digits = _digits(code)
    ok = False
    kind = "app"
    if digits.isascii() and digits.isdecimal() and len(digits) == DIGITS:
        step = _matching_step(_decrypt(row, secret_key), digits, now)
        ok = step is not None and _accept_step(session, row, step)
    else:
        kind = "recovery"
        code_hash = _hash_recovery(code)
        ok = code_hash is not None and (
            cast(
                CursorResult[Any],
                session.execute(
                    update(RecoveryCode)
                    .where(
                        RecoveryCode.user_id == user.id,
                        RecoveryCode.code_hash == code_hash,
                        RecoveryCode.used_at.is_(None),
                    )
                    .values(used_at=now)
                ),
            ).rowcount
            == 1
        )
    session.add(LoginAttempt(email=user.email, address=address, at=now, success=ok))
    session.commit()
    if not ok:
        raise SignInRefused(
            "That code is not right, or it was used already. Type the code your app shows now, or a recovery code."
        )
    return SecondFactor(kind=kind, recovery_left=recovery_codes_left(session, user))
