"""Large print never sets a picture smaller than the 14 pt handout does (issue #14: "pictures no
smaller than today at 14 pt and larger at 18 pt").

Trial 31, F1: at 18 pt the block kept the 14 pt shares as a last resort, so a middle exercise
with a long note took 2.30 in where 14 pt gives it 3.15 in (a compact program, Letter), and the
first of a one-a-page program did the same. Now 0.42 of the line, 14 pt's picture, is large
print's last resort: a block that fits no page so flows over two, and where only a smaller
picture would keep the page count, the handout takes the page.
"""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.block import PICTURE_SHARE, picture_shares
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, make_world, page_count, pages_text, picture_widths, rendered
from tests.test_handout_front_slack import NAMES, URL
from tests.test_handout_layout import TODAY_14PT
from tests.test_sheet_names_whole_where_room import started  # noqa: F401  (the fixture)

# A six-line note, as a therapist writes one (about 250 characters of Spanish).
NOTE = (
    "Haga este ejercicio despacio y sin dolor. Pare si nota mareo. Respire con calma todo el tiempo. "
    "Mire al frente y no suba los hombros. Si la cabeza tira hacia un lado, vuelva al centro. "
    "Descanse un minuto entre series. Escriba en la hoja lo que hizo cada día."
)
# Trial 31's case C (compact) and case E (one a page): the notes on the first and the fifth.
COMPACT = [
    "chin-tuck-lying",
    "neck-shoulder-blade-stretch",
    "standing-tall-wall",
    "shoulder-tense-and-release",
    "head-midline-mirror",
    "sensory-trick-chin-touch",
]
ONE_A_PAGE = ["cat-camel", "chin-tuck-lying", "standing-tall-wall", "head-midline-mirror"]


def _handouts(catalog_file, tmp_path, slugs, name, layout, tips):  # noqa: ANN001, ANN202
    """The Spanish program at 14 pt and at 18 pt, on Letter and A4: {(size, paper): pdf}."""
    made, contents = {}, {}
    with catalog_session(catalog_file, tmp_path) as db:
        for large in (False, True):
            program = make_world(
                db,
                slugs=slugs,
                patient_name=name,
                large_print=large,
                clinic_name=f"Clinic {large}",
                notes={0: NOTE, 4: NOTE},
            )
            contents[large] = handout_content(db, program, NOW, URL, "es")
    for large, content in contents.items():
        for paper in ("letter", "a4"):
            shown = dataclasses.replace(content, advice=tips, paper_size=paper, layout=layout)
            made[18 if large else 14, paper] = rendered(shown, HandoutOptions(languages=("en", "es")))
    return made


@pytest.mark.parametrize(
    ("slugs", "layout", "name", "tip_count"),
    [
        (COMPACT, "compact", NAMES["arabic"], 12),
        (COMPACT, "compact", NAMES["short"], 0),
        (ONE_A_PAGE, "page", NAMES["greek"], 3),
    ],
    ids=["compact-every-tip", "compact-no-tip", "one-a-page"],
)
def test_no_picture_in_large_print_is_smaller_than_at_14_pt(catalog_file, tmp_path, slugs, layout, name, tip_count):  # noqa: ANN001
    """Exercise by exercise, at 18 pt at least as wide as at 14 pt and as the 14 pt handout's
    picture before the compact layout (0.42 of the line); the compact handout keeps n + 1 pages."""
    tips = [translations("es").gettext(line) for line in advice.BUILT_IN[:tip_count]]
    tips += ["每天早上做这些练习。"] if tip_count else []
    made = _handouts(catalog_file, tmp_path, slugs, name, layout, tips)
    for paper in ("letter", "a4"):
        at_14, at_18 = picture_widths(made[14, paper]), picture_widths(made[18, paper])
        assert len(at_14) == len(at_18) == len(slugs)
        assert min(at_18) >= TODAY_14PT[paper] - 0.5, (paper, at_18)
        assert all(large >= body - 0.5 for body, large in zip(at_14, at_18, strict=True)), (paper, at_14, at_18)
        if layout == "compact":
            assert page_count(made[18, paper]) <= len(slugs) + 1


def test_one_a_page_a_block_that_goes_on_over_two_pages_keeps_its_largest_picture(started):  # noqa: F811
    """Trial 30, F5: one a page at 18 pt, a 454-character note on every exercise: each exercise
    that goes on over two pages anyway kept its picture at its least (257 pt on Letter), a
    quarter of its first page empty. Its picture now grows as large print's does where the
    exercise takes no more pages so: the handout's pages as many, those pictures larger."""
    content = dataclasses.replace(started["writer's cramp", False, 454], layout="page", large_print=True)
    pdf = rendered(content, HandoutOptions(page_size="letter"))
    widths = picture_widths(pdf)
    line = TODAY_14PT["letter"] / PICTURE_SHARE
    flowing = [width for width, block in zip(widths, content.exercises, strict=True) if _goes_on(pdf, block)]
    assert len(flowing) >= 3, widths
    assert min(flowing) >= picture_shares(18)[0] * line - 0.5, (flowing, widths)
    assert page_count(pdf) == 12  # as with the pictures at their least (sheet test: 12 since trial 31)


def _goes_on(pdf: bytes, block) -> bool:  # noqa: ANN001
    """Whether the exercise `block` goes on to a second page (its "continued" line printed)."""
    said = words.of("es").continued(block.number, block.name)
    return any(" ".join(said.split()) in " ".join(page.split()) for page in pages_text(pdf))
