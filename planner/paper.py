"""The papers a handout prints on: the one table of them.

A clinic's choice (Clinic.paper_size, checked by services/accounts.check_paper_size), the site's
`[handouts] page_size` (handouts/styles.HandoutOptions), the page size of the PDF
(handouts/styles.PAGE_SIZES) and the administrator's choices (web/admin/forms.PAPER_CHOICES) are
all read from PAPERS, so a paper added here is offered, checked and printed alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER


@dataclass(frozen=True)
class Paper:
    """One paper: its name as the pages say it, its measures, and its size in PDF points."""

    name: str  # "Letter"
    measures: str  # "8.5 × 11 in", as a therapist knows the paper in the printer
    points: tuple[float, float]  # (width, height), 72 to the inch


# By the key stored in Clinic.paper_size and written in config.toml ("letter", "a4").
PAPERS: dict[str, Paper] = {
    "letter": Paper("Letter", "8.5 × 11 in", LETTER),
    "a4": Paper("A4", "210 × 297 mm", A4),
}
