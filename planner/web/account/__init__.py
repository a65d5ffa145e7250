"""A therapist's own account: two-factor sign-in (two_factor.py) and personal API tokens (tokens.py)."""

from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")
