"""Password hashing with Argon2id (Werkzeug's default scrypt cost is below OWASP's minimum)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10


@dataclass(frozen=True)
class PasswordCost:
    """Argon2 cost of one password check ([security] argon2_memory_kib, argon2_time_cost).

    The defaults are config.toml's: 19 MiB is OWASP's minimum, and several workers can afford it.
    """

    memory_kib: int = 19456
    time_cost: int = 2


@functools.cache
def _hasher(cost: PasswordCost) -> PasswordHasher:
    return PasswordHasher(memory_cost=cost.memory_kib, time_cost=cost.time_cost)


def hash_password(password: str, cost: PasswordCost = PasswordCost()) -> str:
    """An Argon2id hash ("$argon2id$…") of the password at that cost."""
    return _hasher(cost).hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """Whether the password matches; the hash carries its own cost, so any stored hash checks."""
    try:
        return _hasher(PasswordCost()).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, cost: PasswordCost = PasswordCost()) -> bool:
    """Whether the hash was made at another cost than `cost` (then it is made again at sign-in)."""
    return _hasher(cost).check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > 200:
        return "Use at most 200 characters."
    return None
