"""The patient's language in the web layer: Flask-Babel for the phone page, the site's handout languages.

The phone page is rendered in the patient's handout language (set per request by the portal
when it opens a link); every other page stays in English. Services get the language as a
plain value, never from here.
"""

from __future__ import annotations

import functools
from typing import Any

from babel.support import NullTranslations, Translations
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_locale
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from wtforms.i18n import messages_path

from planner.i18n import ENGLISH, TRANSLATIONS, translations
from planner.languages import handout_language
from planner.settings import current as app_settings


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", ENGLISH)
    Babel(app, locale_selector=_locale)
    # The templates' _() and ngettext() read the catalog of the page's language, chosen once per
    # page (page_language below), instead of asking Flask-Babel for the request's translations on
    # each of the phone page's ~55 messages. Same catalogs (planner.i18n.translations). They are
    # jinja2.ext.i18n's "newstyle" callables written out (_page_gettext): the extension's own
    # (installed by Flask-Babel) reach the catalog through three context calls, about 50
    # Python calls a message, twice what the message itself costs.
    app.jinja_env.newstyle_gettext = True  # type: ignore[attr-defined]  # for a {% trans %} block
    app.jinja_env.globals.update(_=_page_gettext, gettext=_page_gettext, ngettext=_page_ngettext)

    @app.context_processor
    def _language() -> dict[str, Any]:
        return {"page_language": _locale()}

    @app.before_request
    def _wtforms_messages() -> None:
        # Flask-WTF takes WTForms' own messages from here when set; unset, it reads and parses
        # WTForms' catalog file again on every request that makes a form.
        request.wtforms_translations = WTFORMS_MESSAGES  # type: ignore[attr-defined]


class _WTFormsMessages:
    """WTForms' own messages ("This field is required.", its labels) in the request's language
    (Flask-Babel's locale, as Flask-WTF chooses it), each language's catalog read once per process."""

    def ugettext(self, message: str) -> str:
        return _wtforms_catalog(str(get_locale())).ugettext(message)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalog(str(get_locale())).ungettext(singular, plural, n)


WTFORMS_MESSAGES = _WTFormsMessages()


@functools.cache
def _wtforms_catalog(locale: str) -> NullTranslations:
    """WTForms' catalog for a locale ("es"), as Flask-WTF loads it (NullTranslations when none)."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


def _page_language(context: Context) -> str:
    language = context.get("page_language")
    return language if isinstance(language, str) else _locale()


def _page_translations(context: Context) -> NullTranslations:
    return translations(_page_language(context))


@pass_context
def _page_gettext(context: Context, message: str, **variables: Any) -> str:
    """A template's _("...", name=value): the message in the page's language with the values put
    in, escaped in an autoescaped template (as jinja2.ext.i18n's newstyle gettext: the message
    is always a format string, so "%%" is "%" with or without values)."""
    key = (_page_language(context), message, context.eval_ctx.autoescape)
    text = _MESSAGES.get(key)
    if text is None:
        text = translations(key[0]).gettext(message)
        if key[2]:
            text = Markup(text)  # noqa: S704  (a message of our own catalogs; the values are escaped by %)
        if len(_MESSAGES) < _MESSAGES_MAX:
            _MESSAGES[key] = text
    # Without values or a "%" the format would give the message back as it is (half the page's messages).
    return text % variables if variables or "%" in text else text


# The templates' messages as _page_gettext reads them from the catalogs (loaded once per process,
# so they never change): by language, message and whether escaped. Some 150 messages a language.
_MESSAGES: dict[tuple[str, str, bool], str] = {}
_MESSAGES_MAX = 4096


@pass_context
def _page_ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
    """A template's ngettext(singular, plural, num, ...): as _page_gettext, the plural form for
    `num`, and `%(num)s` the number as given (jinja2.ext.i18n's newstyle ngettext)."""
    variables.setdefault("num", num)
    text = _page_translations(context).ngettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704  (as above)
    return text % variables


def _locale() -> str:
    """The phone page's language: the patient's, once the link is open; before that (a wrong
    link, too many requests) the browser's first handout language; English elsewhere."""
    if not has_request_context():
        return ENGLISH
    chosen = g.get("patient_language")
    if chosen:
        return chosen
    if request.blueprint == "portal":
        return request.accept_languages.best_match(offered_languages()) or ENGLISH
    return ENGLISH


def offered_languages() -> tuple[str, ...]:
    """The site's handout languages (complete ones only: planner/languages.py)."""
    return app_settings().handouts.languages  # planner.languages.offered_in, worked out at start-up


def patient_language(patient: Any) -> str:
    """The language a patient reads: their preferred one when the site offers it, else English."""
    return handout_language(patient.language, offered_languages())


def language_name(code: str) -> str:
    """The name the configuration gives a language code ("es" → "Español")."""
    return app_settings().patients.languages.get(code, code)


def language_choices() -> dict[str, str]:
    """The patient form's preferred languages, each saying what the patient will read: a language
    that is not complete says the handout, phone page and emails stay in English, so the form
    never promises what the handout does not do."""
    offered = offered_languages()
    return {
        code: name if code in offered else f"{name} (handouts, phone page and emails in English for now)"
        for code, name in app_settings().patients.languages.items()
    }
