"""Clinics, therapists and signing in."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner import passwords
from planner.bidi import isolate
from planner.counted import counted
from planner.mail import address_problem, with_ascii_domain
from planner.models import ROLES, Clinic, LoginAttempt, User
from planner.paper import PAPERS
from planner.passwords import PasswordCost
from planner.scoping import get_scoped, scoped
from planner.search_key import caseless
from planner.services import DomainError


@dataclass(frozen=True)
class Throttle:
    max_per_account: int = 5
    max_per_address: int = 20
    window: timedelta = timedelta(minutes=15)


def any_user_exists(session: Session) -> bool:
    return (session.scalar(select(func.count(User.id))) or 0) > 0


def normalise_email(email: str) -> str:
    """An account's email as stored and looked up: lower case, the domain in ASCII. A browser's
    email field sends ana@xn--bcher-kva.example when ana@bücher.example is typed; both sign in."""
    return with_ascii_domain(email.strip().lower())


def check_timezone(name: str) -> str:
    """:raise DomainError: when the name is not an IANA time zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(
            f"Unknown time zone “{isolate(name)}”. Use a name such as Europe/Paris.", "timezone"
        ) from None
    return name


PAPER_SIZE_ERROR = f"Choose {' or '.join(p.name for p in PAPERS.values())}, or the site's setting."


def check_paper_size(value: str | None) -> str | None:
    """A clinic's paper size as stored: "letter" or "a4" (any case, spaces trimmed); None for ""
    or None, which means the site's [handouts] page_size.

    :raise DomainError: (field "paper_size") for any other value.
    """
    chosen = (value or "").strip().lower()
    if not chosen:
        return None
    if chosen not in PAPERS:
        raise DomainError(PAPER_SIZE_ERROR, "paper_size")
    return chosen


def clinic_by_name(session: Session, name: str) -> Clinic | None:
    """The clinic of that name, case ignored in every script (compared here, not by the database's
    LOWER(), which knows only ASCII on SQLite); None when there is none."""
    wanted = caseless(name)
    return next((c for c in session.scalars(select(Clinic).order_by(Clinic.id)) if caseless(c.name) == wanted), None)


def create_clinic(
    session: Session,
    *,
    name: str,
    address: str = "",
    phone: str = "",
    email: str = "",
    timezone: str = "UTC",
) -> Clinic:
    """:raise DomainError: for a name already in use or an unknown time zone."""
    name = " ".join(name.split())  # one line, as every name is: a newline would split the handout's header
    if not name:
        raise DomainError("Enter the clinic's name.", "name")
    if clinic_by_name(session, name):
        raise DomainError(f"A clinic named “{isolate(name)}” already exists.", "name")
    clinic = Clinic(
        name=name, address=address.strip(), phone=phone.strip(), email=email.strip(), timezone=check_timezone(timezone)
    )
    session.add(clinic)
    session.flush()
    return clinic


def update_clinic(session: Session, clinic: Clinic, **fields: str) -> Clinic:
    """Save the clinic's details: `name`, `address`, `phone`, `email`, `timezone`, `paper_size`
    ("letter", "a4", or "" for the site's setting); a field not given is kept.

    :raise DomainError: for a name another clinic uses, an unknown time zone or paper size.
    """
    paper_size = check_paper_size(fields["paper_size"]) if "paper_size" in fields else clinic.paper_size
    name = " ".join(fields.get("name", clinic.name).split())
    other = clinic_by_name(session, name)
    if other is not None and other.id != clinic.id:
        raise DomainError(f"A clinic named “{isolate(name)}” already exists.", "name")
    clinic.name = name
    for key in ("address", "phone", "email"):
        if key in fields:
            setattr(clinic, key, fields[key].strip())
    if "timezone" in fields:
        clinic.timezone = check_timezone(fields["timezone"])
    clinic.paper_size = paper_size
    session.flush()
    return clinic


def create_user(
    session: Session,
    clinic: Clinic,
    *,
    email: str,
    name: str,
    password: str,
    role: str = "therapist",
    cost: PasswordCost = PasswordCost(),
) -> User:
    """A new account, its password hashed at `cost` ([security] of the app's settings).

    :raise DomainError: for an address mail cannot go to, a duplicate email, an unknown role or a weak password.
    """
    email = normalise_email(email)
    problem = address_problem(email)
    if problem:
        raise DomainError(problem, "email")
    if role not in ROLES:
        raise DomainError(f"Unknown role “{role}”: use admin or therapist.", "role")
    if session.scalars(select(User).where(User.email == email)).first():
        raise DomainError(f"An account with the email {isolate(email)} already exists.", "email")
    weak = passwords.password_problem(password)
    if weak:
        raise DomainError(weak, "password")
    user = User(
        clinic=clinic,
        email=email,
        name=" ".join(name.split()),
        role=role,
        password_hash=passwords.hash_password(password, cost),
    )
    session.add(user)
    session.flush()
    return user


def therapists(session: Session, clinic_id: int, *, active_only: bool = False) -> list[User]:
    query = scoped(User, clinic_id).order_by(User.name)
    if active_only:
        query = query.where(User.active.is_(True))
    return list(session.scalars(query))


def get_user(session: Session, clinic_id: int, user_id: int) -> User:
    """:raise NotFound: for a user of another clinic."""
    return get_scoped(session, User, clinic_id, user_id)


def set_active(session: Session, actor: User, user: User, active: bool) -> None:
    """Activate or deactivate an account; deactivation ends its sessions.

    :raise DomainError: when an administrator would deactivate themself.
    """
    if not active and user.id == actor.id:
        raise DomainError("You cannot deactivate your own account.")
    if user.active != active:
        user.active = active
        user.session_version += 1
    session.flush()


def set_role(session: Session, actor: User, user: User, role: str) -> None:
    """:raise DomainError: for an unknown role, or an administrator demoting themself."""
    if role not in ROLES:
        raise DomainError(f"Unknown role “{role}”.", "role")
    if user.id == actor.id and role != "admin":
        raise DomainError("You cannot remove your own administrator role.", "role")
    user.role = role
    session.flush()


def change_password(session: Session, user: User, current: str, new: str, cost: PasswordCost = PasswordCost()) -> None:
    """Change the password (hashed at `cost`) and end every other session of the account.

    :raise DomainError: when the current password is wrong or the new one too weak.
    """
    if not passwords.check_password(user.password_hash, current):
        raise DomainError("The current password is not right.", "current_password")
    problem = passwords.password_problem(new)
    if problem:
        raise DomainError(problem, "new_password")
    user.password_hash = passwords.hash_password(new, cost)
    user.session_version += 1
    session.flush()


class SignInRefused(DomainError):
    pass


def refuse_if_throttled(session: Session, email: str, address: str, now: datetime, throttle: Throttle) -> None:
    """Refuse any sign-in step (password or second factor) after too many failures.

    Failures are `login_attempts` rows with success false, counted for this account (normalised
    email) and for this address inside the throttle's window before `now`.

    :raise SignInRefused: when either count has reached its limit.
    """
    since = now - throttle.window
    failures = select(func.count(LoginAttempt.id)).where(LoginAttempt.success.is_(False), LoginAttempt.at >= since)
    too_many = (session.scalar(failures.where(LoginAttempt.email == email)) or 0) >= throttle.max_per_account or (
        session.scalar(failures.where(LoginAttempt.address == address)) or 0
    ) >= throttle.max_per_address
    if too_many:
        # Whole minutes, rounded up: a window of 30 seconds said "Wait 0 minutes".
        minutes = max(1, math.ceil(throttle.window.total_seconds() / 60))
        wait = counted(minutes, "minute", "minutes")
        raise SignInRefused(f"Too many failed sign-ins. Wait {wait}, then try again.")


def authenticate(
    session: Session,
    email: str,
    password: str,
    address: str,
    now: datetime,
    throttle: Throttle = Throttle(),
    cost: PasswordCost = PasswordCost(),
) -> User:
    """The user for these credentials, recording the attempt; a hash of another `cost` is made again.

    :raise SignInRefused: for wrong credentials, a deactivated account, or too many failures
        for this account or this address within the throttle window.
    """
    email = normalise_email(email)
    refuse_if_throttled(session, email, address, now, throttle)
    user = session.scalars(select(User).where(User.email == email)).first()
    # Check a hash even for an unknown email, so the answer takes the same time.
    ok = passwords.check_password(user.password_hash if user else _DUMMY_HASH, password)
    session.add(LoginAttempt(email=email, address=address, at=now, success=bool(ok and user)))
    if not (ok and user):
        session.commit()
        raise SignInRefused("The email or password is not right.")
    if not user.active:
        session.commit()
        raise SignInRefused("This account has been deactivated. Ask your clinic's administrator.")
    if passwords.needs_rehash(user.password_hash, cost):
        user.password_hash = passwords.hash_password(password, cost)
    user.last_login_at = now
    session.commit()
    return user


_DUMMY_HASH = passwords.hash_password("not a real password, for timing only")
