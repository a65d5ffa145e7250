"""The weekly tick sheet: one row per exercise, one big box per day, for a shaky hand."""

from __future__ import annotations

from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from planner.handouts import words
from planner.handouts.content import ExerciseBlock
from planner.handouts.flowables import Para as Paragraph
from planner.handouts.styles import BOLD, INK, TINT, Styles
from planner.handouts.text import bold, para_text

# A box at least 0.55 inch each way: room for a tick made with a tremor.
MIN_BOX = 0.55 * inch
LINE = 1.5
PADDING = 4


def tick_sheet(exercises: list[ExerciseBlock], styles: Styles, width: float) -> list[Flowable]:
    """The heading, a line to write the week's date, and the exercise × day table."""
    widest_day = max(stringWidth(day, BOLD, styles.size) for day in words.DAYS)
    box = max(MIN_BOX, widest_day + 2 * PADDING + 2)
    name_width = width - 7 * box
    header = [Paragraph(bold(words.HEADINGS["exercise"]), styles.cell)]
    header += [Paragraph(bold(day), styles.day) for day in words.DAYS]
    rows, heights = [header], [None]
    for block in exercises:
        label = f"{block.number}. {para_text(block.name)}"
        often = words.times_a_day(block.times_per_day)
        if often:
            label += f"<br/>({often})"
        cell = Paragraph(label, styles.cell)
        # Square boxes, unless a long name needs a taller row.
        heights.append(max(box, cell.wrap(name_width - 2 * PADDING, 10_000)[1] + 2 * PADDING))
        rows.append([cell, *[""] * 7])
    table = Table(rows, colWidths=[name_width] + [box] * 7, rowHeights=heights, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), BOLD),
                ("GRID", (0, 0), (-1, -1), LINE, INK),
                ("BACKGROUND", (0, 0), (-1, 0), TINT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), PADDING),
                ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING),
            ]
        )
    )
    return [
        Paragraph(para_text(words.HEADINGS["tick_sheet"]), styles.heading),
        Paragraph(f"{bold(para_text(words.HEADINGS['week_of']))} ______________________", styles.body),
        Spacer(1, styles.size * 0.4),
        table,
    ]
