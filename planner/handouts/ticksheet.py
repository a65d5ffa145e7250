"""The weekly tick sheet: one row per exercise, a box for each time it is done on a day it is due.

An exercise done 3 times a day has three boxes side by side in each of its days; a day it is
not due (an exercise done 3 days a week rests on Tuesday) is shaded with no box. Where the
boxes of one day do not fit side by side (large print), they go on in a second line inside
the cell, never smaller. Which days are due is decided once, in planner.services.coverage.due_days.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from reportlab.lib.colors import HexColor, white
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from planner.handouts import words
from planner.handouts.content import ExerciseBlock
from planner.handouts.para import Para as Paragraph
from planner.handouts.replay import draw_recorded
from planner.handouts.stacking import stack_height
from planner.handouts.styles import BOLD, INK, REGULAR, TINT, Styles
from planner.handouts.text import bold, para_text

# A box 1.4 times the type size each way (19.6 pt, 6.9 mm, at 14 pt; 25.2 pt at 18): room for a
# tick made with a tremor, well over the 5 mm a pen's tick needs. (1.6, 22.4 pt, left the names
# so little width that most took two or three lines: the sheet did not fit a page with the last
# exercise.) The boxes of a day stand this far apart, closer than the boxes of two days (2
# PADDING and the grid's line), so a day's boxes read as one group.
BOX_EM = 1.4
GAP_EM = 0.2
# The exercise column keeps at least this many type sizes of width: a name of a few words
# a line. The day columns take the rest, as many boxes side by side as that leaves room for.
LABEL_EM = 8.5
LINE = 1.5  # a box's edge: the thing to tick stands out from the table's thinner lines
GRID_LINE = 0.75
# The table's lines lighter than the boxes' black edges: 3 pt from a box, a line of the grid
# must not read as a second box edge.
GRID = HexColor("#8C8C8C")
PADDING = 3
# Above and below a row's boxes (and its name) on the sheet whose names are cut short to a line,
# the one set only where it takes a page less (compact.fewer_pages): 2 pt, so each row is 2 pt
# lower (24 pt on 12 rows: the last exercise and the sheet share a page). The boxes keep their
# size and their 3 pt to the day's side lines; the grey line above and below stays a line's
# width clear of their black edge.
LOW_PADDING = 2
# Above and below the day names in the header row: it holds no box to tick, so less than a row's
# PADDING (the names still clear the lines by more than the type's own descent).
HEAD_PADDING = 1.5
# The space above the sheet's heading under an exercise (em): its size and weight set it apart,
# as the exercises' heading under the front page's last line (0.5 em). Under the heading no more
# than its own leading (22.4 pt for 18.2 pt type), and the table 0.1 em under the week's line:
# the heading, the line and the table read as one. (A heading's 0.9 and 0.35 em and the body's
# 0.3 em kept the sheet 12 pt taller.)
HEADING_SPACE = 0.5
# On the front page, under its last line, or under the last exercise, where only that keeps the
# sheet there (compact.fewer_pages: trial 17's Spanish program of 12 with short notes, Letter,
# took a page more for 2.3 pt; trial 40's U6, twelve in Spanish, Letter, for 0.5 pt under the
# twelfth): no space but the heading's own leading (4 pt over its letters at 14 pt), its size
# and weight still set it apart from the lines above (0.3 em left trial 39's twelve exercises,
# two goals and a visit plan, Letter, 4.0 pt over the front page: a page over the goal).
CLOSER_SPACE = 0.0
LINE_SPACE = 0.1
# The line to write the week's date on: room for a date written large, with a shaky hand.
WEEK_BLANK = "______________"
# A day the exercise is not due: shaded darker than the header, so it reads as "nothing here".
REST = HexColor("#C9C9C9")

# Per exercise row: how many boxes a day (times a day), and the weekdays (0 Monday) it is due.
Boxes = tuple[int, tuple[int, ...]]


@dataclass(frozen=True)
class Ticks:
    """Where the boxes go in a day's cell: their side and gap (pt), how many side by side, and
    the room above and below them in their row (`padding`, pt; beside them always PADDING)."""

    box: float
    gap: float
    per_line: int
    padding: float = PADDING

    def lines(self, times: int) -> int:
        return math.ceil(times / self.per_line)

    def height(self, times: int) -> float:
        """The height of `times` boxes in their lines, padding included (pt)."""
        lines = self.lines(times)
        return lines * self.box + (lines - 1) * self.gap + 2 * self.padding

    def width(self) -> float:
        """The width of a line of `per_line` boxes, padding included (pt)."""
        return self.per_line * self.box + (self.per_line - 1) * self.gap + 2 * PADDING


def _layout(times: Sequence[int], styles: Styles, width: float, said: words.Words) -> tuple[Ticks, list[float]]:
    """The boxes' geometry and the columns' widths (the exercise, then Monday to Sunday), pt:
    a day column as wide as the most boxes of one day side by side, as far as the exercise
    column keeps LABEL_EM; never narrower than the widest day's name."""
    size = styles.size
    widest_day = max(stringWidth(day, BOLD, size) for day in said.days) + 2 * PADDING + 2
    per_line = max(1, max(times, default=1))
    while True:
        ticks = Ticks(round(size * BOX_EM, 1), round(size * GAP_EM, 1), per_line)
        day = max(widest_day, ticks.width())
        if per_line == 1 or width - 7 * day >= size * LABEL_EM:
            return ticks, [width - 7 * day] + [day] * 7
        per_line -= 1


def tick_sheet(
    exercises: list[ExerciseBlock],
    styles: Styles,
    width: float,
    said: words.Words,
    page_room: float = 0.0,
    short: bool = False,
    room: float = 0.0,
    closer: bool = False,
) -> list[Flowable]:
    """The heading, a line to write the week's date, the key to shaded days, and the exercise × day
    table, in `said`'s language. `page_room`: the height a page holds (pt), so the table never
    leaves one row alone at the end of a page that a whole page could have held with more.
    `short`: each exercise's number and name on one line, the name cut short where it is longer
    (one_line), so a row is as low as its boxes, with LOW_PADDING above and below them; else the
    whole name, on two lines or more. `room` (pt, with `short`): the height the page has free
    under the short sheet: the names that would be cut stay whole, in order, as far as the rows
    they make taller fit it (trial 24: names cut with "…" over 42 pt left free). `closer`: the
    heading CLOSER_SPACE under what is above it, not HEADING_SPACE."""
    boxes: list[Boxes] = [(max(1, b.times_per_day or 1), tuple(b.due_days)) for b in exercises]
    ticks, widths = _layout([times for times, _ in boxes], styles, width, said)
    if short:
        ticks = replace(ticks, padding=LOW_PADDING)
    label_width = widths[0] - 2 * PADDING
    cut = label_width if short else None
    whole = _kept_whole(exercises, styles, label_width, ticks, room) if short and room > 0 else frozenset()
    # The same exercises give the same sheet: measured and drawn once per process, then replayed.
    key = (
        "tick sheet",
        said.language,
        styles.size,
        tuple(widths),
        ticks,
        tuple((b.number, b.name, b.times_per_day) for b in exercises),
        tuple(boxes),
        short,
        whole,
    )
    known = _HEIGHTS.get(key)
    if known is not None:
        grid = Grid(lambda: _rows(exercises, styles, said, cut, ticks, whole), widths, known, key, boxes, ticks)
    else:
        rows = _rows(exercises, styles, said, cut, ticks, whole)
        # The boxes' lines, unless a long name needs a taller row (the header: Grid.wrap).
        heights = [None] + [
            max(ticks.height(times), row[0].wrap(label_width, 10_000)[1] + 2 * ticks.padding)
            for row, (times, _) in zip(rows[1:], boxes, strict=True)
        ]
        grid = Grid(rows, widths, heights, key, boxes, ticks)
        grid.wrap(width, 10_000)
        if len(_HEIGHTS) >= 1024:
            _HEIGHTS.clear()
        _HEIGHTS[key] = list(grid.measured)
    flow: list[Flowable] = [Paragraph(para_text(said.headings["tick_sheet"]), sheet_heading(styles, closer))]
    flow += week_lines(styles, width, said, any(len(days) < 7 for _, days in boxes))
    # The most room the table can have under its heading lines: with less (the end of a page
    # after an exercise), it leaves no row alone there, but moves on (Grid.split).
    grid.room = page_room - stack_height(flow, width) - flow[-1].getSpaceAfter() - grid.getSpaceBefore()
    return [*flow, grid]


def week_lines(styles: Styles, width: float, said: words.Words, rest_days: bool) -> list[Flowable]:
    """The line to write the week's date on and, where some exercise rests on some day
    (`rest_days`), the key to the grey days: on one line where the two fit it (`width`, pt)."""
    week = f"{bold(para_text(said.headings['week_of']))} {WEEK_BLANK}"
    style = _line(styles)
    if not rest_days:
        return [Paragraph(week, style)]
    keyed = Paragraph(f"{week}{'&nbsp;' * 4}{para_text(said.rest_day)}", style)
    if keyed.wrap(width, 10_000)[1] <= styles.body.leading + 0.01:
        return [keyed]
    return [Paragraph(week, style), Paragraph(para_text(said.rest_day), style)]


@functools.cache
def sheet_heading(styles: Styles, closer: bool = False) -> ParagraphStyle:
    """The tick sheet's heading: a heading's size and weight, HEADING_SPACE above it (CLOSER_SPACE,
    `closer`), none under it."""
    space = CLOSER_SPACE if closer else HEADING_SPACE
    return styles.heading.clone(
        f"sheet-heading-{styles.size:g}{'-closer' if closer else ''}", spaceBefore=styles.size * space, spaceAfter=0
    )


@functools.cache
def _line(styles: Styles) -> ParagraphStyle:
    """The week's line and the key to grey days: body type, LINE_SPACE under each."""
    return styles.body.clone(f"sheet-line-{styles.size:g}", spaceAfter=styles.size * LINE_SPACE)


_HEIGHTS: dict[Hashable, list[float]] = {}


def week_row(block: ExerciseBlock, styles: Styles, width: float, said: words.Words) -> Flowable:
    """One exercise's week of boxes, printed under the exercise (large print, compact layout):
    the days Monday to Sunday across the full `width` (pt), and under each day the exercise's
    boxes, as many as times a day, or the shaded rest day. The patient ticks where they read.

    As on the tick sheet (same boxes, same rule for rest days), without the exercise column: the
    exercise stands right above it. The boxes of a day go side by side as far as a day's column
    holds them, then on in a second line.
    """
    times = max(1, block.times_per_day or 1)
    size = styles.size
    day = width / 7
    box, gap = round(size * BOX_EM, 1), round(size * GAP_EM, 1)
    per_line = max(1, min(times, int((day - 2 * PADDING + gap) // (box + gap))))
    ticks = Ticks(box, gap, per_line)
    widths = [0.0] + [day] * 7
    boxes: list[Boxes] = [(times, tuple(block.due_days))]
    key = ("week row", said.language, size, tuple(widths), ticks, boxes[0])

    def rows() -> list[list[Any]]:
        return [["", *[Paragraph(bold(para_text(d)), styles.day) for d in said.days]], [""] * 8]

    header = _HEIGHTS.get(key)
    if header is None:
        header = _HEIGHTS[key] = [
            max(cell.wrap(day - 2 * PADDING, 10_000)[1] for cell in rows()[0][1:]) + 2 * HEAD_PADDING
        ]
    grid = Grid(rows, widths, [header[0], ticks.height(times)], key, boxes, ticks)
    grid.spaceBefore = size * 0.5
    return grid


def _rows(
    exercises: list[ExerciseBlock],
    styles: Styles,
    said: words.Words,
    cut: float | None = None,
    ticks: Ticks | None = None,
    whole: frozenset[int] = frozenset(),
) -> list[list[Any]]:
    """The header row and a row per exercise: its number and name, then seven empty day cells.
    With `cut` (pt) the name is whole only where it fits the height its row's boxes take anyway
    (`ticks`: two lines of boxes hold two lines of a name), else cut short to one line `cut` pt
    wide (short_names: one_line, or on to the word where two names differ): a row as low as its
    boxes, or a line lower where two cut names would read the same. The rows in `whole` (their
    index) keep their name whole (tick_sheet's `room`)."""
    header = [Paragraph(bold(para_text(said.headings["exercise"])), styles.cell)]
    header += [Paragraph(bold(para_text(day)), styles.day) for day in said.days]
    rows: list[list[Any]] = [header]
    # No "(2 times a day)" under a name: the row's boxes say it, a box each time, on every row
    # alike (as the phone page has a tick for each time); the exercise's dosage words it.
    names = [f"{block.number}. {block.name}" for block in exercises]
    if cut is not None:
        full, little = list(names), LITTLE_WORDS.get(said.language, frozenset())
        short = short_names(names, styles.size, cut, little, [block.side_words for block in exercises])
        for i, block in enumerate(exercises):
            room = ticks.height(max(1, block.times_per_day or 1)) - 2 * ticks.padding if ticks is not None else 0.0
            if i not in whole and _height(names[i], styles, cut) > room + 0.01:
                names[i] = _fuller(names[i], short[i], block.side_words, styles, cut, room, little)
        # A name shown fuller never reads as another row's (else as short_names cut it).
        seen = [name.split(" ", 1)[-1].casefold() for name in names]
        names = [name if seen.count(seen[i]) == 1 else short[i] for i, name in enumerate(names)]
        for i, block in enumerate(exercises):
            # A name cut to its first word ("2. Deslizamiento…") ends with its last words after
            # it, where they fit the line and no other row's name has both ("2. Deslizamiento…
            # dedos"): one word alone did not tell a patient which exercise the row was (trial
            # 38, F6); "4. Mantener… boca arriba" under "3. Mantener la cabeza girada, boca
            # arriba" would tell it no better.
            ended = _first_and_last(full[i], names[i], block.side_words, styles.size, cut, little)
            if ended is not None and not any(
                _reads_like(ended, other, block.side_words) for other in full[:i] + full[i + 1 :]
            ):
                names[i] = ended
    for name in names:
        rows.append([Paragraph(para_text(name), styles.cell), *[""] * 7])
    return rows


def _height(text: str, styles: Styles, width: float) -> float:
    """The height (pt) `text` takes in a name cell `width` pt wide."""
    return Paragraph(para_text(text), styles.cell).wrap(width, 10_000)[1]


def _fuller(name: str, short: str, tail: str, styles: Styles, width: float, room: float, little: frozenset[str]) -> str:
    """`name` as much of it as its row's lines hold, where its `short` form (short_names) leaves
    some of them empty: the row is as tall as its boxes (`room`, pt: two lines of boxes hold two
    lines of a name) or its short name, whichever is taller. Whole where it fits them; else cut
    after more of its first words than `short` keeps, "…", then `tail` (the side, never cut);
    `short` where it ends otherwise (its own last words after "…") or nothing more fits. A
    Spanish name cut to one line on a row two lines high showed half of what it could (#14)."""
    height = max(room, _height(short, styles, width)) + 0.01
    if height < 2 * styles.cell.leading:
        return short  # a line: short_names fitted it already
    if _height(name, styles, width) <= height:
        return name
    tail = tail if tail and name.endswith(tail) else ""
    words = name.removesuffix(tail).split()
    first, _, after = short.partition(ELLIPSIS)
    if after.strip() != tail.strip():
        return short  # ends with its own last words: more first words would drop them
    for keep in range(len(words) - 1, len(first.split()), -1):
        if keep > 2 and _little(words[keep - 1], little):
            continue
        fuller = f"{_shown(words, keep)} {tail}".rstrip()
        if _height(fuller, styles, width) <= height:
            return fuller
    return short


def _first_and_last(name: str, shown: str, tail: str, size: float, width: float, little: frozenset[str]) -> str | None:
    """`name` ("2. Deslizamiento de los tendones de los dedos"), `shown` cut to its first word
    ("2. Deslizamiento…", then `tail`, the side, where the name ends with it), as its number,
    first word, "…", the most of its last words that fit one line `width` pt wide at `size` pt
    (one at least that is not a little word, `little`) and `tail`: "2. Deslizamiento… de los
    dedos". None where `shown` keeps more than one word or is not cut, or no such line fits."""
    first, cut, after = shown.partition(ELLIPSIS)
    tail = tail if tail and name.endswith(tail) else ""
    if not cut or after.strip() != tail.strip() or len(first.split()) != 2:
        return None
    words = name.removesuffix(tail).split()
    for start in range(3, len(words)):  # the most last words first; words[2] at least left out
        end = words[start:]
        if all(_little(word, little) for word in end):
            continue
        row = f"{first}{ELLIPSIS} {' '.join(end)} {tail}".rstrip()
        if stringWidth(row, REGULAR, size) <= width:
            return row
    return None


def _reads_like(ended: str, other: str, tail: str) -> bool:
    """Whether `other` (a numbered name) starts with `ended`'s first word ("4. Mantener… boca
    arriba") and has its last words: the row would not read apart from it."""
    first, _, after = ended.partition(ELLIPSIS)
    words = other.split()
    end = after.removesuffix(tail).strip().casefold()
    return len(words) > 1 and words[1].casefold() == first.split()[-1].casefold() and end in other.casefold()


def _kept_whole(
    exercises: list[ExerciseBlock], styles: Styles, cut: float, ticks: Ticks, room: float
) -> frozenset[int]:
    """The rows (index) of a short sheet whose names stay whole in `room` pt more: in order, each
    whose whole name makes its row taller by what is left of `room` at most (its cut name's row
    is a line, or its boxes' height)."""
    kept: set[int] = set()
    for i, block in enumerate(exercises):
        boxes = ticks.height(max(1, block.times_per_day or 1))
        name = Paragraph(para_text(f"{block.number}. {block.name}"), styles.cell)
        taller = max(boxes, name.wrap(cut, 10_000)[1] + 2 * ticks.padding)
        line = max(boxes, styles.cell.leading + 2 * ticks.padding)
        if taller > line + 0.01 and taller - line <= room + 1e-6:
            kept.add(i)
            room -= taller - line
    return frozenset(kept)


ELLIPSIS = "\u2026"
# The little words a name cut short never ends on ("3. Light touch…", not "3. Light touch on
# the…"), by language. Never printed, so no gettext message; a language not here cuts after
# any word.
LITTLE_WORDS = {
    "en": frozenset("a an and at by for from in into of on or the to with your".split()),  # noqa: SIM905
    "es": frozenset(
        "a al con contra de del e el en la las lo los o para por sin su sus u un una unas unos y".split()  # noqa: SIM905
    ),
}


def one_line(name: str, size: float, width: float, little: frozenset[str] = frozenset()) -> str:
    """`name` ("3. Light touch on the chin") as it fits one line `width` pt wide at `size` pt:
    whole where it fits, else cut after its last whole word that fits, followed by "…", never
    after a little word (`little`, lower case: "3. Light touch…", not "3. Light touch on the…").
    The number and the first word of the name always stay, even where they are wider.

    The patient finds the row by its number, the same as the exercise's, and its first words;
    the exercise itself has the whole name."""
    words = name.split()
    return _shown(words, _fitting(words, size, width, little))


def _fitting(words: list[str], size: float, width: float, little: frozenset[str]) -> int:
    """How many of `words` one_line keeps (all of them: the name whole)."""
    if len(words) <= 2 or stringWidth(" ".join(words), REGULAR, size) <= width:
        return len(words)
    keep = len(words) - 1
    while keep > 2 and stringWidth(" ".join(words[:keep]) + ELLIPSIS, REGULAR, size) > width:
        keep -= 1
    while keep > 2 and _little(words[keep - 1], little):
        keep -= 1
    return keep


def _little(word: str, little: frozenset[str]) -> bool:
    return word.strip(",;:.").casefold() in little


def _shown(words: list[str], keep: int) -> str:
    """The first `keep` of `words`, and "…" where some are left out."""
    if keep >= len(words):
        return " ".join(words)
    return " ".join(words[:keep]).rstrip(",;:.") + ELLIPSIS


def _shared(words: list[str], other: list[str]) -> int:
    """How many of `words` after the first (the number) `other`'s start with, plus the number."""
    same = 1
    while same < min(len(words), len(other)) and words[same] == other[same]:
        same += 1
    return same


def short_names(
    names: list[str], size: float, width: float, little: frozenset[str] = frozenset(), kept: list[str] | None = None
) -> list[str]:
    """The numbered names of one sheet's rows ("4. Mantener la cabeza girada"), each cut short as
    one_line cuts it, except where two would then read the same after their numbers ("4. Mantener
    la cabeza…", "5. Mantener la cabeza…": the turn hold and the tilt hold). Those keep their
    words on to the first in which they differ, and past a little word after it ("4. Mantener la
    cabeza girada", "5. Mantener la cabeza inclinada"), on a second line where that is longer
    than `width` pt: the row is then that much lower. Names the same in full stay the same.

    A patient with dystonia ticks after each set: the two rows that most need telling apart
    start with the same words most often (a hold to each way, two sides of one stretch).

    `kept`: per name, the words it ends with that are never cut ("(left hand)", the side of an
    exercise given once for each side: ExerciseBlock.side_words): the name before them is cut to
    leave them room, so "3. Wrist stretch with… (left hand)" and its other side read apart."""
    ends = kept or [""] * len(names)
    split = [
        (name[: -len(end)] if end and name.endswith(end) else name).split()
        for name, end in zip(names, ends, strict=True)
    ]
    tails = [end if end and name.endswith(end) else "" for name, end in zip(names, ends, strict=True)]
    # Where the name is cut, its kept words follow "…" after a space: the rest has that much less room.
    rooms = [width - stringWidth(" " + tail, REGULAR, size) if tail else width for tail in tails]
    keep = [
        len(words) if stringWidth(name, REGULAR, size) <= width else _fitting(words, size, room, little)
        for name, words, room in zip(names, split, rooms, strict=True)
    ]

    def read(i: int) -> str:  # what a patient tells the row by: the words after its number, no "…"
        return (" ".join(split[i][1 : keep[i]]).rstrip(",;:.") + " " + tails[i]).strip().casefold()

    differs: dict[int, int] = {}  # a name kept on: where its words first differ from those it read like
    moved = True
    while moved:  # each pass keeps more words of some name: it ends
        moved = False
        alike: dict[str, list[int]] = {}
        for i in range(len(names)):
            alike.setdefault(read(i), []).append(i)
        for group in alike.values():
            for a in group:
                words = split[a]
                others = [split[b] for b in group if split[b][1:] != words[1:]]
                if keep[a] >= len(words) or not others:
                    continue
                # On to the first word in which it differs from each name it reads like.
                differs[a] = max(differs.get(a, 0), *(_shared(words, other) for other in others))
                more = max(keep[a] + 1, differs[a] + 1)
                while more < len(words) and _little(words[more - 1], little):
                    more += 1
                keep[a], moved = min(more, len(words)), True
    rows = [f"{_shown(words, k)} {tail}".rstrip() for words, k, tail in zip(split, keep, tails, strict=True)]
    # A name kept on past a line ends instead with its words from where it differs, after its
    # first words and "…", where that fits one line ("10. Levantar los brazos… en forma de Y"):
    # its row as low as its boxes, still reading apart (built 12: rows 10 and 11 took 28 pt more).
    ended = {
        i: ending
        for i, at in differs.items()
        if stringWidth(rows[i], REGULAR, size) > width
        and (ending := _ended(split[i], at, tails[i], size, width, little)) is not None
    }
    told = [ended.get(i, row) for i, row in enumerate(rows)]
    seen = [row.split(" ", 1)[-1].casefold() for row in told]
    return [row if seen.count(seen[i]) == 1 else rows[i] for i, row in enumerate(told)]


def _ended(words: list[str], at: int, tail: str, size: float, width: float, little: frozenset[str]) -> str | None:
    """`words` (a numbered name) on one line `width` pt wide: its first words (the number and
    at least one word, never ending on a little word), "…", then its last words from the `at`-th
    (where it differs), or from the next ("…a los lados" for "…brazos a los lados": the word
    the two names share further on), and its `tail`; None where no such line fits."""
    if at < 2 or at >= len(words):
        return None
    for start in range(at, min(at + 2, len(words))):
        end = " ".join([*words[start:], tail]).strip()
        for keep in range(at - 1, 1, -1):
            if keep > 2 and _little(words[keep - 1], little):
                continue
            row = f"{' '.join(words[:keep]).rstrip(',;:.')}{ELLIPSIS} {end}"
            if stringWidth(row, REGULAR, size) <= width:
                return row
    return None


class Grid(Flowable):
    """The tick sheet's table drawn straight on the canvas: a tinted header, a paragraph per
    labelled cell, centred in its row, and per day the exercise's boxes or a shaded rest day.

    A platypus Table would draw a style lookup and a call per cell (most of them empty) and
    knows no boxes inside a cell. `rows` may be a function that makes them: then they are made only
    if they must be drawn. Too tall for the frame, it splits between exercises, the header
    repeated at the top of the next part.
    """

    def __init__(
        self,
        rows: list[list[Any]] | Callable[[], list[list[Any]]],
        widths: list[float],
        heights: Sequence[float | None],
        key: Hashable,
        boxes: list[Boxes],
        ticks: Ticks,
        room: float = 0.0,
    ) -> None:
        """room: the most height a split of this sheet (or the part it came from) was offered, pt."""
        super().__init__()
        self._rows, self.widths, self.heights, self.key = rows, widths, list(heights), key
        self.boxes, self.ticks, self.room = boxes, ticks, room
        # The rows after a break: they start the next page, under the heading again (Headed
        # clears this there), not the rest of this one.
        self.moves_on = False

    @property
    def rows(self) -> list[list[Any]]:
        if callable(self._rows):
            self._rows = self._rows()
        return self._rows

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        for i, height in enumerate(self.heights):
            if height is None:  # the header row: its tallest cell and HEAD_PADDING
                row = self.rows[i]
                self.heights[i] = (
                    max(cell.wrap(w - 2 * PADDING, 10_000)[1] for cell, w in zip(row, self.widths, strict=True) if cell)
                    + 2 * HEAD_PADDING
                )
        self.width, self.height = sum(self.widths), sum(self.measured)
        return self.width, self.height

    @property
    def measured(self) -> list[float]:
        """`heights` (the same list) once `wrap` has measured each row it was given None for."""
        return cast(list[float], self.heights)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """The exercises that fit, then the rest under the header again; [] when fewer than two fit.
        One exercise's row never goes on alone, before a break or after it: two go."""
        self.wrap(availWidth, availHeight)
        if self.moves_on:
            return []
        header = self.measured[0]
        fit, used = 0, header
        for height in self.measured[1:]:
            if used + height > availHeight:
                break
            fit, used = fit + 1, used + height
        if fit == len(self.boxes):
            return [self]
        if fit == len(self.boxes) - 1 and fit > 1:
            fit -= 1  # the last row would go on alone
        # One row alone under the header only where no more room ever came (rows too tall for two
        # a page); where more room came before (a page's top), the part moves on to the next page.
        self.room = max(self.room, availHeight)
        if fit == 0 or (fit == 1 and len(self.boxes) > 1 and availHeight < self.room - 1e-6):
            return []
        if fit > 1:
            # As even a break as the pages the rest takes allow: 6 + 6 rows, not 10 + 2 with a
            # last page almost blank (trial 18, F2); never fewer here than leave the rest to them.
            pages = 1 + self.pages_from(fit)
            least = next(n for n in range(1, fit + 1) if self.pages_from(n) <= pages - 1)
            fit = min(fit, max(least, math.ceil(len(self.boxes) / pages), 2))
            if fit == len(self.boxes) - 1:
                fit -= 1  # the last row would go on alone
        rows = self.rows
        parts = []
        for first, last in ((0, fit), (fit, len(self.boxes))):
            part_rows = [rows[0], *rows[1 + first : 1 + last]]
            part_heights = [header, *self.measured[1 + first : 1 + last]]
            part_key = (self.key, first, last)
            parts.append(
                Grid(part_rows, self.widths, part_heights, part_key, self.boxes[first:last], self.ticks, self.room)
            )
        parts[1].moves_on = True
        return parts

    def rows_in(self, room: float) -> int:
        """How many rows fit `room` (pt) under the header, from the first."""
        used, rows = self.measured[0], 0
        for height in self.measured[1:]:
            if used + height > room + 1e-6:
                break
            used, rows = used + height, rows + 1
        return rows

    def pages_from(self, first: int, room: float | None = None) -> int:
        """The pages the rows from the `first` (0: all) take, each page holding the header and
        as many rows as fit `room` (by default the most this sheet was offered: a page's), pt."""
        room = self.room if room is None else room
        header, pages, used = self.measured[0], 0, 0.0
        for height in self.measured[1 + first :]:
            if not pages or used + height > room + 1e-6:
                pages, used = pages + 1, header
            used += height
        return pages

    def draw(self) -> None:
        draw_recorded(self.canv, (self.key, tuple(self.heights)), self._draw)

    def _draw(self) -> None:
        canvas = self.canv
        heights = self.measured  # draw comes after wrap
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        ys = [self.height]
        for h in heights:
            ys.append(ys[-1] - h)
        canvas.setFillColor(TINT)
        canvas.rect(0, ys[1], self.width, heights[0], stroke=0, fill=1)
        # Rest days first, so the lines are drawn over their edges.
        canvas.setFillColor(REST)
        for (_times, days), top, height in zip(self.boxes, ys[1:], heights[1:], strict=False):
            for day in range(7):
                if day not in days:
                    canvas.rect(xs[day + 1], top - height, self.widths[day + 1], height, stroke=0, fill=1)
        for row, top, height in zip(self.rows, ys, heights, strict=False):
            for cell, x, w in zip(row, xs, self.widths, strict=False):
                if cell:
                    h = cell.wrap(w - 2 * PADDING, 10_000)[1]
                    cell.drawOn(canvas, x + PADDING, top - height + (height - h) / 2)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(GRID_LINE)
        canvas.grid(xs, ys)
        # Inside each due day, the boxes: side by side, in lines of `per_line`, centred in the cell.
        box, gap, per_line = self.ticks.box, self.ticks.gap, self.ticks.per_line
        canvas.setStrokeColor(INK)
        canvas.setFillColor(white)
        canvas.setLineWidth(LINE)
        for (times, days), top, height in zip(self.boxes, ys[1:], heights[1:], strict=False):
            lines = self.ticks.lines(times)
            y = top - (height - (self.ticks.height(times) - 2 * self.ticks.padding)) / 2 - box
            for line in range(lines):
                count = min(per_line, times - line * per_line)
                across = count * box + (count - 1) * gap
                for day in days:
                    x = xs[day + 1] + (self.widths[day + 1] - across) / 2
                    for n in range(count):
                        canvas.rect(x + n * (box + gap), y, box, box, stroke=1, fill=1)
                y -= box + gap
