"""Large print, a program of one exercise and every tip ticked: the QR code never alone on a page.

Trial 32, F1: with one exercise, how to do it goes with it when it is not on the front page, and
the story measured the last exercise without it: the QR code "fit" under the exercise, went on to
page 3 alone (85 % empty), and that way won over one that takes two pages.
"""

from __future__ import annotations

import dataclasses

import pytest

from planner.handouts import words
from planner.handouts.content import handout_content
from planner.handouts.styles import HandoutOptions
from planner.i18n import translations
from planner.services import advice
from tests.factories import catalog_session
from tests.handout_world import NOW, make_world, pages_text, rendered
from tests.test_handout_front_slack import NAMES, URL

SLUGS = ["shoulder-tense-and-release", "relaxed-pen-grip-check", "chin-tuck-lying"]
# Chinese given names and surnames, cut at the form's 120 characters.
# The therapist's goals, three lines: with the name, the front page is full.
GOALS = (
    "Mantener la cabeza recta más tiempo cuando leo o veo la tele.\n"
    "Girar la cabeza a los dos lados con más facilidad.\n"
    "Empezar boca arriba: así el cuello está más tranquilo."
)
CHINESE = ("王秀英李静张丽刘敏陈静杨洋赵艳黄勇周杰吴磊徐芳孙伟马超朱红胡军郭娜何强林霞罗平高鹏郑雪梁辉谢琳宋涛" * 4)[
    :120
]


@pytest.fixture(scope="module")
def contents(catalog_file, tmp_path_factory):  # noqa: ANN001, ANN201
    """{(slug, name): the Spanish program of that one exercise, large print, every tip}."""
    made = {}
    tips = [translations("es").gettext(line) for line in advice.BUILT_IN]
    with catalog_session(catalog_file, tmp_path_factory.mktemp("one-exercise")) as db:
        for number, (slug, name) in enumerate((slug, name) for slug in SLUGS for name in ("spanish", "short")):
            program = make_world(
                db, slugs=[slug], patient_name=NAMES[name], large_print=True, clinic_name=f"Clinic {number}", notes={}
            )
            made[slug, name] = dataclasses.replace(handout_content(db, program, NOW, URL, "es"), advice=tips)
    return made


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("name", ["spanish", "short"])
@pytest.mark.parametrize("slug", SLUGS)
def test_the_qr_code_is_never_alone_on_the_last_page(contents, slug, name, paper):
    content = dataclasses.replace(contents[slug, name], paper_size=paper)
    said = words.of("es")
    pages = [
        " ".join(page.split()).split(said.questions)[0]
        for page in pages_text(rendered(content, HandoutOptions(languages=("en", "es"))))
    ]
    online = [page for page in pages if said.headings["online"] in page]
    assert len(online) == 1
    # Where the QR code is not on the front page, its page holds an exercise or the tips too.
    if online[0] is not pages[0]:
        assert said.headings["day"] in online[0] or "1. " in online[0], online[0][:200]
    assert len(pages) <= 3


def test_trial_32s_one_exercise_takes_two_pages(contents):
    """The case that printed the QR code alone on page 3: Spanish, a long name, Letter."""
    content = dataclasses.replace(contents["shoulder-tense-and-release", "spanish"], paper_size="letter")
    assert len(pages_text(rendered(content, HandoutOptions(languages=("en", "es"))))) == 2


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("count", [1, 3])
def test_a_few_tips_never_hold_a_page_alone(catalog_file, tmp_path, paper, count):  # noqa: ANN001
    """Trial 34 (random program 404 #11): one exercise, a 120-character Chinese name that fills the
    front page, three tips: no page's foot held them, and they took page 3 alone (a fifth of it),
    after the exercise. They now go on page 2, before it: as many pages. How to do the exercise
    stays over it where its page holds the two (trial 41, F2: it ended page 2 under the tips,
    apart from the exercise and its boxes on page 3); else it goes under the tips on page 2."""
    tips = [translations("es").gettext(line) for line in advice.BUILT_IN]
    with catalog_session(catalog_file, tmp_path) as db:
        program = make_world(
            db, slugs=["neck-side-stretch"], patient_name=CHINESE, large_print=True, clinic_name="Demo Physio", notes={}
        )
        content = handout_content(db, program, NOW, URL, "es")
    content = dataclasses.replace(
        content,
        clinic_contact=["12 Harbour Road, Springfield", "555-0142", "front-desk@demo-physio.example"],
        title="Su programa en casa para controlar el cuello",
        goals_text=GOALS,
        visit_plan="Una visita por semana durante 6 semanas",
        advice=tips[:count],
        advice_text="",
        paper_size=paper,
    )
    said = words.of("es")
    pages = [
        " ".join(page.split()).split(said.questions)[0]
        for page in pages_text(rendered(content, HandoutOptions(languages=("en", "es"))))
    ]
    [tips_at] = [n for n, page in enumerate(pages) if said.headings["day"] in page]
    [exercise_at] = [n for n, page in enumerate(pages) if f"1. {content.exercises[0].name}" in page]
    # Never after the exercise (a last page of tips alone): before it, or under it on its page.
    assert tips_at <= exercise_at, pages
    how = " ".join(said.lead(1, "below")[1].split())
    [how_at] = [n for n, page in enumerate(pages) if how in page]
    # How to do it heads the exercise's page, or follows the tips (the two fit no page).
    assert how_at in (exercise_at, tips_at), pages
    assert len(pages) <= 3
