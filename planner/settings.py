"""config.toml as typed settings, built once per app; and the Flask settings that follow from it.

`build` turns the merged configuration into frozen values, each checked once:
a bad value stops the app at start-up, never a request later. `init_app` stores them on the
app (`app.extensions["settings"]`, `current()` inside a request or command); views, commands
and the scheduler hand each service the part it needs as an argument. Nothing reads
config.toml again after start-up, so `create_app(test_config)` decides what every path sees.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

from werkzeug.middleware.proxy_fix import ProxyFix

from planner.config import _merge, database_url, read_settings, secret_key
from planner.handouts.styles import HandoutOptions
from planner.languages import offered_in
from planner.mail import ascii_domain
from planner.passwords import PasswordCost
from planner.services import care
from planner.services.accounts import Throttle
from planner.services.calendar_window import Window
from planner.services.emails import MailSettings
from planner.services.outbox import DispatchSettings
from planner.services.reminders import Schedule

if TYPE_CHECKING:
    from flask import Flask

T = TypeVar("T")


@dataclass(frozen=True)
class ServerSettings:
    """[server]: where `flask serve` listens, and the site's public address as written (empty
    when unset; `Settings.public_url` is the same without a trailing slash)."""

    host: str
    port: int
    threads: int
    debug: bool
    public_url: str = ""

    @classmethod
    def from_section(cls, server: Mapping[str, Any]) -> ServerSettings:
        """:raise ValueError: for a port or thread count that is not a whole number."""
        return cls(
            host=str(server.get("host") or ""),
            port=int(server["port"]),
            threads=int(server.get("threads", 8)),
            debug=bool(server.get("debug", False)),
            public_url=str(server.get("public_url") or ""),
        )


@dataclass(frozen=True)
class PatientSettings:
    """[patients]: the patient list's page size, the languages and condition tags the patient form
    offers (code -> name; tags in their order), and after how many years an archived patient
    comes up for review."""

    page_size: int
    languages: Mapping[str, str]
    condition_tags: tuple[str, ...]
    review_archived_after_years: int

    @classmethod
    def from_section(cls, patients: Mapping[str, Any]) -> PatientSettings:
        return cls(
            page_size=int(patients["page_size"]),
            languages=MappingProxyType({str(code): str(name) for code, name in patients["languages"].items()}),
            condition_tags=tuple(str(tag) for tag in patients["condition_tags"]),
            review_archived_after_years=int(patients.get("review_archived_after_years", 7)),
        )


@dataclass(frozen=True)
class ClockSettings:
    """[reminders] as the process that sends them runs: in `flask serve` itself (embedded), every
    `interval_seconds`; /healthz fails when no run finished for `stale_after_seconds`."""

    embedded: bool = True
    interval_seconds: int = 60
    stale_after_seconds: int = 600

    @classmethod
    def from_section(cls, reminders: Mapping[str, Any]) -> ClockSettings:
        return cls(
            embedded=bool(reminders.get("embedded", True)),
            interval_seconds=int(reminders.get("interval_seconds", 60)),
            stale_after_seconds=int(reminders.get("stale_after_seconds", 600)),
        )


@dataclass(frozen=True)
class BackupSettings:
    """[backup]: the nightly backup (on or off, after `hour` o'clock server time, `keep` copies)
    into `folder` (relative: inside the instance folder), with PostgreSQL's tools from `pg_bin`."""

    nightly: bool = False
    folder: str = "backups"
    keep: int = 7
    hour: int = 2
    pg_bin: str = ""

    @classmethod
    def from_section(cls, backup: Mapping[str, Any]) -> BackupSettings:
        return cls(
            nightly=bool(backup.get("nightly", False)),
            folder=str(backup.get("folder", "backups")),
            keep=int(backup.get("keep", 7)),
            hour=int(backup.get("hour", 2)),
            pg_bin=str(backup.get("pg_bin", "")),
        )


@dataclass(frozen=True)
class PortalSettings:
    """[portal]: days a patient link works (None: until stopped), requests a network address may
    make a minute, and the pain rating (or rise over the week's average) that alerts the therapist."""

    link_expiry_days: int | None
    requests_per_minute: int
    pain_alert_threshold: int
    pain_alert_rise: int

    @classmethod
    def from_section(cls, portal: Mapping[str, Any]) -> PortalSettings:
        return cls(
            link_expiry_days=portal.get("link_expiry_days") or None,
            requests_per_minute=portal["requests_per_minute"],
            pain_alert_threshold=portal["pain_alert_threshold"],
            pain_alert_rise=portal["pain_alert_rise"],
        )


@dataclass(frozen=True)
class Settings:
    """What the services, pages, commands and the scheduler need from config.toml, typed.

    `raw` is the merged file, read-only, kept for the one reader that takes a whole section as a
    table: the mail backend (planner.mail.mailer_from_settings: [mail]'s SMTP options, the
    password read from the environment when a message is sent).
    """

    raw: MappingProxyType[str, Any]
    password_cost: PasswordCost
    throttle: Throttle
    window: Window
    schedule: Schedule
    dispatch: DispatchSettings
    mail: MailSettings
    handouts: HandoutOptions
    public_url: str
    server: ServerSettings
    patients: PatientSettings
    clock: ClockSettings
    backup: BackupSettings
    portal: PortalSettings
    catalog_directory: str  # [catalog] directory, relative to the repository
    max_exercises: int  # [programs]: above this many the builder warns
    audit_page_size: int  # [audit] entries a page
    outbox_folder: str  # [mail] where the file backend writes (inside the instance folder)
    message_id_domain: str  # [mail] as written; planner.mail.default_domain fills in an empty one
    calendar_patient_names: bool  # [calendar]: full names (True) or initials in the iCal feed
    payer_profiles: Mapping[str, care.Profile]  # [plan_of_care.profiles.*]; empty when the rules are off
    default_profile: str  # [plan_of_care] the profile of a program that has none chosen ("" for none)


def ascii_url(url: str) -> str:
    """An address as links, QR codes and emails carry it: the host in IDNA (RFC 5891, UTS 46:
    https://xn--clnica-ejemplo-1lb.es for https://clínica-ejemplo.es), the path and query
    percent-encoded in UTF-8 (RFC 3986); an ASCII address unchanged. A QR code holding a
    Unicode address is read as another character set by phones (no ECI is written), and some mail
    clients cut a link at the first letter outside ASCII.

    :raise ValueError: when the host is not a valid internationalised domain name.
    """
    if url.isascii():
        return url
    import idna

    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        ascii_host = ascii_domain(host)
    except (idna.IDNAError, UnicodeError) as e:
        raise ValueError(f"[server] public_url: “{host}” is not a valid domain name: {e}") from None
    netloc = ascii_host + (f":{parts.port}" if parts.port else "")
    if parts.username:
        netloc = f"{quote(parts.username)}@{netloc}"
    keep = "/:@!$&'()*+,;=-._~%"
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=keep), quote(parts.query, safe=keep + "?"), ""))


def _public_url_in_ascii(raw: dict[str, Any]) -> dict[str, Any]:
    """`raw` with [server] public_url in its ASCII form (ascii_url), so every reader of it (links,
    QR codes, emails, the calendar feed) takes the one form."""
    server = raw.get("server")
    if not isinstance(server, Mapping):
        return raw
    url = server.get("public_url")
    if not isinstance(url, str) or url.isascii():
        return raw
    return {**raw, "server": {**server, "public_url": ascii_url(url)}}


def build(raw: dict[str, Any], secret: str = "") -> Settings:
    """Typed settings from the merged configuration; `secret` is the app's secret key (patient links).

    :raise ValueError: naming the section and value that is wrong.
    """
    raw = _public_url_in_ascii(raw)
    languages = offered_in(raw)
    handouts = HandoutOptions.from_settings(raw.get("handouts"), languages)
    return Settings(
        raw=MappingProxyType(copy.deepcopy(raw)),
        password_cost=_section(
            raw, "security", lambda s: PasswordCost(int(s["argon2_memory_kib"]), int(s["argon2_time_cost"]))
        ),
        throttle=_section(
            raw,
            "security",
            lambda s: Throttle(
                int(s["max_failures_per_account"]),
                int(s["max_failures_per_address"]),
                timedelta(minutes=s["failure_window_minutes"]),
            ),
        ),
        window=Window.from_settings(raw),
        schedule=Schedule.from_settings(raw),
        dispatch=DispatchSettings.from_settings(raw),
        mail=MailSettings.from_settings(raw, secret, handouts),
        handouts=handouts,
        public_url=str(raw.get("server", {}).get("public_url", "")).rstrip("/"),
        server=_section(raw, "server", ServerSettings.from_section),
        patients=_section(raw, "patients", PatientSettings.from_section),
        clock=_section(raw, "reminders", ClockSettings.from_section),
        backup=_section(raw, "backup", BackupSettings.from_section),
        portal=_section(raw, "portal", PortalSettings.from_section),
        catalog_directory=_section(raw, "catalog", lambda s: str(s["directory"])),
        max_exercises=_section(raw, "programs", lambda s: int(s["max_exercises"])),
        audit_page_size=_section(raw, "audit", lambda s: int(s["page_size"])),
        outbox_folder=str(raw["mail"].get("outbox_folder", "outbox")),
        message_id_domain=str(raw["mail"].get("message_id_domain", "")),
        calendar_patient_names=_section(raw, "calendar", lambda s: _flag(s, "patient_names", True)),
        payer_profiles=MappingProxyType(care.profiles(raw)),
        default_profile=str(raw.get("plan_of_care", {}).get("default_profile", "")),
    )


def _flag(section: Mapping[str, Any], key: str, default: bool) -> bool:
    """A true/false setting. :raise ValueError: for anything but a TOML boolean ("no" is not false)."""
    value = section.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false, not {value!r}")
    return value


def _section(raw: Mapping[str, Any], name: str, parse: Callable[[Mapping[str, Any]], T]) -> T:
    """One section of config.toml read by `parse`.

    :raise ValueError: naming the section, for a value of the wrong kind or a missing key.
    """
    try:
        return parse(raw.get(name, {}))
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        raise ValueError(f"[{name}] {e}") from e


def of(app: Flask) -> Settings:
    """The settings of `app` (for code that holds the app: the scheduler, `flask serve`)."""
    settings: Settings = app.extensions["settings"]
    return settings


def current() -> Settings:
    """The settings of the app serving this request or command (Flask's current app)."""
    from flask import current_app

    return current_app.extensions["settings"]


def init_app(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Read config.toml (and PLANNER_CONFIG, or test_config's PLANNER_CONFIG_FILE) once, overlay
    test_config's PLANNER, and set the Flask settings that follow; test_config's other keys win.

    :raise ValueError: for a bad setting.
    """
    test_config = dict(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    raw = read_settings(test_config.pop("PLANNER_CONFIG_FILE", None))
    _merge(raw, copy.deepcopy(test_config.pop("PLANNER", {})))
    app.config["PLANNER"] = raw  # for Flask's own view of the app only: code reads Settings.raw
    server = raw["server"]
    app.config.update(
        SECRET_KEY=secret_key(raw, app.instance_path),
        DATABASE_URL=database_url(raw, app.instance_path),
        DEBUG=bool(server.get("debug", False)),
        SESSION_COOKIE_SECURE=bool(server.get("secure_cookies", True)),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="planner_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=server.get("session_hours", 12)),
        SESSION_REFRESH_EACH_REQUEST=False,  # renewed once every few minutes of use (web/auth)
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=bool(server.get("secure_cookies", True)),
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session instead, so a long form is not lost
        MAX_CONTENT_LENGTH=6 * 1024 * 1024,
    )
    app.config.update(test_config)
    app.extensions["settings"] = build(raw, app.config["SECRET_KEY"])
    proxies = int(server.get("proxy_count", 0))
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
