"""One exercise on the handout: a block that is never split across pages.

Number and name, the picture (start → end, mirrored for the side) with the dosage in words
beside it, the numbered steps, the therapist's note, and the caution box.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any

from reportlab.platypus import Flowable, Spacer
from reportlab.platypus.flowables import HRFlowable

from planner.handouts import words
from planner.handouts.content import ExerciseBlock
from planner.handouts.flowables import Beside, Box, Kept, stack_height
from planner.handouts.flowables import Para as Paragraph
from planner.handouts.pictures import picture
from planner.handouts.styles import CAUTION_EDGE, CAUTION_TINT, INK, TINT, Styles
from planner.handouts.text import bold, para_text

# The share of the line the picture takes, the dosage beside it. A block too tall for a page
# (seven steps and a long note in large print) tries the next, smaller picture before it
# would have to break.
PICTURE_SHARES = (0.42, 0.34, 0.27)


def exercise_block(
    block: ExerciseBlock, styles: Styles, width: float, page_room: float, lead: list[Flowable] | None = None
) -> Flowable:
    """The exercise kept together, so a patient never turns the page in the middle of one.

    `lead` (the section heading) travels with the first block. Only a block taller than a whole
    page even with the smallest picture (a very long note) is split, at a line.

    The block is three drawings: the exercise with its dosage (the same for every patient given
    this exercise at this dosage), the therapist's note, and the cautions (the same wherever
    the exercise is). Each but the note is measured and drawn once per process, then replayed
    (see replay.py); a block seen before, note and all, is not even laid out again.
    """
    lead = lead or []
    key = _key(block, styles, lead)
    layout = None if key is None else (key, block.note, tuple(block.cautions), width, page_room)
    known = _LAYOUTS.get(layout) if layout is not None else None
    if known is not None:
        share, size = known
        return Kept(lambda: _drawings(block, styles, width, page_room, share, lead, key), page_room, known=size)
    for share in PICTURE_SHARES:
        parts = _drawings(block, styles, width, page_room, share, lead, key)
        if stack_height(parts, width) <= page_room:
            break
    kept = Kept(parts, page_room)
    if layout is not None:
        _remember(_LAYOUTS, layout, (share, kept.size(width)))
    return kept


_LAYOUTS: dict[Hashable, tuple[float, tuple[float, float, float, float]]] = {}
_SIZES: dict[Hashable, tuple[float, float, float, float]] = {}
_CACHE_MAX = 4096


def _remember(cache: dict[Hashable, Any], key: Hashable, value: Any) -> None:
    if len(cache) >= _CACHE_MAX:
        del cache[next(iter(cache))]  # the oldest goes
    cache[key] = value


def _key(block: ExerciseBlock, styles: Styles, lead: list[Flowable]) -> tuple[Any, ...] | None:
    """All the exercise drawing shows (not the note or the cautions), for replaying it (None: a
    photo, drawn each time)."""
    if block.photo or not all(isinstance(p, Paragraph) for p in lead):
        return None
    return (
        "exercise",
        block.language,
        styles.size,
        tuple(p.text for p in lead),
        block.number,
        block.slug,
        block.name,
        block.side,
        json.dumps(block.picture, sort_keys=True),
        block.dosage,
        tuple(block.steps),
    )


def _drawings(
    block: ExerciseBlock,
    styles: Styles,
    width: float,
    page_room: float,
    share: float,
    lead: list[Flowable],
    key: tuple[Any, ...] | None,
) -> list[Flowable]:
    head_key = None if key is None else (*key, share)
    parts = [_drawing(head_key, width, page_room, lambda: [*lead, *_head(block, styles, width, share)])]
    if block.note.strip():
        # A note is the patient's own: drawn each time, never kept (it would crowd out the rest).
        parts.append(_drawing(None, width, page_room, lambda: [_note(block, styles)]))
    caution_key = None if key is None else ("cautions", block.language, tuple(block.cautions), styles.size)
    parts.append(_drawing(caution_key, width, page_room, lambda: [_cautions(block, styles)]))
    return parts


def _drawing(key: Hashable | None, width: float, page_room: float, make: Callable[[], list[Flowable]]) -> Kept:
    """Parts drawn as one recording under `key`, measured once per key and width."""
    known = _SIZES.get((key, width)) if key is not None else None
    if known is not None:
        return Kept(make, page_room, key, known)
    kept = Kept(make(), page_room, key)
    if key is not None:
        _remember(_SIZES, (key, width), kept.size(width))
    return kept


def _head(block: ExerciseBlock, styles: Styles, width: float, share: float) -> list[Flowable]:
    size = styles.size
    parts: list[Flowable] = [
        HRFlowable(width="100%", thickness=2, color=INK, spaceBefore=size * 0.4, spaceAfter=size * 0.3),
        Paragraph(f"{block.number}. {para_text(block.name)}", styles.exercise),
    ]
    dosage = [Paragraph(para_text(block.dosage), styles.body)] if block.dosage else []
    # Bigger "Start" and "End" labels than the figure draws, as far as the panels leave room.
    label = round(min(size * 0.65, width * share * 0.042), 1)
    image = picture(block.slug, block.picture, block.side, width * share, block.photo, label, block.language)
    if image is not None:
        parts.append(Beside(image, dosage, left_width=width * share, gap=size))
    else:
        parts.extend(dosage)
    parts.append(Spacer(1, size * 0.25))
    parts += [Paragraph(para_text(step), styles.step, bulletText=f"{n}.") for n, step in enumerate(block.steps, 1)]
    return parts


def _note(block: ExerciseBlock, styles: Styles) -> Flowable:
    # The label on a line of its own: the note is then one plain paragraph, quick to draw.
    label = Paragraph(para_text(words.of(block.language).headings["note"] + ":"), styles.strong)
    return Box([label, Paragraph(para_text(block.note), styles.body)], TINT, padding=styles.size * 0.45)


def _cautions(block: ExerciseBlock, styles: Styles) -> Flowable:
    caution = [Paragraph(bold(para_text(words.of(block.language).caution)), styles.body)]
    caution += [Paragraph(para_text(line), styles.bullet, bulletText="•") for line in block.cautions]
    return Box(caution, CAUTION_TINT, CAUTION_EDGE, padding=styles.size * 0.45)
