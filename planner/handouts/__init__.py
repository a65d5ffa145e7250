"""Printable handouts a patient can follow alone: reportlab platypus, from the program's own data.

Public API (no Flask here; the page, the CLI and the mailer call it):
- build_handout(session, program, now, online_url=None, options=None) -> bytes   (build.py)
- build_given_handout(session, given, now, ...) -> bytes: a version given, as its paper said (build.py)
- build_preview(session, program, now, options, language, online_url) -> bytes: the handout now, marked "Preview only", not given (a box in the QR code's room)
  (each of the three raises services.faults.HandoutNotMade for any fault while it is made,
  logged once under the reference it carries; DirectionsNotSet passes as it is)
- HandoutOptions.from_settings(config["handouts"])                              (styles.py)
- para_text(value): the one escaping of user text for reportlab                  (text.py)
- unprintable_fields(content) -> [Unprintable(field, characters)]: what would print as
  STAND_IN ("?") because no handout font has it, for the program page      (printable.py)
- not_in_language(content), written_by_you(content) -> [part]: what prints in another
  language than the handout's, and what prints as the therapist wrote it    (printable.py)
- not_the_patients(content, preferred) -> code | None: the patient's language when no handout
  is made in it, so the whole handout is in another                         (printable.py)
- export_all(database_url, folder, options, ...) -> Exported(written, not_made)   (export.py)
- forget_drawings(): drop the measured and recorded drawings and the made PDFs
  (pdf_cache.py) this process keeps, as in a new process (benchmarks and tests of the first handout)
"""

from __future__ import annotations

from planner.handouts.build import build_given_handout, build_handout, build_preview
from planner.handouts.fallback import STAND_IN
from planner.handouts.printable import (
    Unprintable,
    not_in_language,
    not_the_patients,
    unprintable_fields,
    written_by_you,
)
from planner.handouts.styles import HandoutOptions
from planner.handouts.text import para_text

__all__ = [
    "STAND_IN",
    "HandoutOptions",
    "Unprintable",
    "build_given_handout",
    "build_handout",
    "build_preview",
    "forget_drawings",
    "not_in_language",
    "not_the_patients",
    "para_text",
    "unprintable_fields",
    "written_by_you",
]


def forget_drawings() -> None:
    from planner.handouts import block, pdf_cache, replay, ticksheet

    pdf_cache.forget()
    replay._RECORDED.clear()
    block._LAYOUTS.clear()
    block._SIZES.clear()
    block._LIVE_SIZES.clear()
    block._SHAPED.clear()
    ticksheet._HEIGHTS.clear()
