"""Every sentence that tells a patient which way to move, written out whole.

Nothing here is built by joining words: each case has its own full sentence, so a translator
translates sentences, and "to the right, away from the pull" is never assembled from parts
that may not fit another language's order.

DIRECTION_SENTENCES[wording][(side, relation)]:
- `wording` is the exercise's kind of movement (`[pattern] wording` in the catalog);
- `side` is where the head goes (turn, tip, the presses and the neck stretch), or the
  shoulder worked (the shoulder wordings). There is no sentence without a side: "Turn your
  head away from the pull." would leave the side to the patient's guess (direction.py, rule 5);
- `relation` is "away" or "toward" the recorded pull, or "" when no pull of that movement is
  recorded (the sentence then names the side only).

LIMB_SENTENCES[wording][side] name the side of a one-sided exercise the therapist picks, when
it is not a plain limb (those the dosage's own side sentence names).
Plain words for a patient: at most 15 words a sentence, about a 6th-grade reading level.
Each sentence is a gettext message (planner/i18n.py): the tables hold the English, and the
handout and the phone page translate it into the patient's language where they print it
(services/patterns.prescription_words).
"""

from __future__ import annotations

from planner.i18n import N_

DIRECTION_SENTENCES: dict[str, dict[tuple[str, str], str]] = {
    "turn": {
        ("right", "away"): N_("Turn your head to the right, away from the pull."),
        ("left", "away"): N_("Turn your head to the left, away from the pull."),
        ("right", "toward"): N_("Turn your head to the right, toward the pull."),
        ("left", "toward"): N_("Turn your head to the left, toward the pull."),
        ("right", ""): N_("Turn your head to the right."),
        ("left", ""): N_("Turn your head to the left."),
    },
    "tip": {
        ("right", "away"): N_("Tip your head toward your right shoulder, away from the pull."),
        ("left", "away"): N_("Tip your head toward your left shoulder, away from the pull."),
        ("right", "toward"): N_("Tip your head toward your right shoulder, toward the pull."),
        ("left", "toward"): N_("Tip your head toward your left shoulder, toward the pull."),
        ("right", ""): N_("Tip your head toward your right shoulder."),
        ("left", ""): N_("Tip your head toward your left shoulder."),
    },
    "press_turn": {
        ("right", "away"): N_("Put your right hand on your right cheek. Press to turn right, away from the pull."),
        ("left", "away"): N_("Put your left hand on your left cheek. Press to turn left, away from the pull."),
        ("right", "toward"): N_("Put your right hand on your right cheek. Press to turn right, toward the pull."),
        ("left", "toward"): N_("Put your left hand on your left cheek. Press to turn left, toward the pull."),
        ("right", ""): N_("Put your right hand on your right cheek. Press as if to turn right."),
        ("left", ""): N_("Put your left hand on your left cheek. Press as if to turn left."),
    },
    "press_tip": {
        ("right", "away"): N_("Put your right hand above your right ear. Press to tip right, away from the pull."),
        ("left", "away"): N_("Put your left hand above your left ear. Press to tip left, away from the pull."),
        ("right", "toward"): N_("Put your right hand above your right ear. Press to tip right, toward the pull."),
        ("left", "toward"): N_("Put your left hand above your left ear. Press to tip left, toward the pull."),
        ("right", ""): N_("Put your right hand above your right ear. Press as if to tip right."),
        ("left", ""): N_("Put your left hand above your left ear. Press as if to tip left."),
    },
    "stretch_tip": {
        ("right", "away"): N_(
            "Hold the seat with your left hand. Tip your head toward your right shoulder, away from the pull."
        ),
        ("left", "away"): N_(
            "Hold the seat with your right hand. Tip your head toward your left shoulder, away from the pull."
        ),
        ("right", "toward"): N_(
            "Hold the seat with your left hand. Tip your head toward your right shoulder, toward the pull."
        ),
        ("left", "toward"): N_(
            "Hold the seat with your right hand. Tip your head toward your left shoulder, toward the pull."
        ),
        ("right", ""): N_("Hold the seat with your left hand. Tip your head toward your right shoulder."),
        ("left", ""): N_("Hold the seat with your right hand. Tip your head toward your left shoulder."),
    },
    "stretch_shoulder": {
        ("right", "away"): N_(
            "Hold the seat with your right hand. This stretches the right shoulder, the one that lifts."
        ),
        ("left", "away"): N_(
            "Hold the seat with your left hand. This stretches the left shoulder, the one that lifts."
        ),
        ("both", "away"): N_("Hold the seat with one hand, then the other. This stretches both shoulders."),
        ("right", ""): N_("Hold the seat with your right hand. This stretches your right shoulder."),
        ("left", ""): N_("Hold the seat with your left hand. This stretches your left shoulder."),
        ("both", ""): N_("Hold the seat with one hand, then the other. This stretches both shoulders."),
    },
    "shoulder_down": {
        ("right", "away"): N_("Work on your right shoulder. Keep it down toward your hip, away from the pull."),
        ("left", "away"): N_("Work on your left shoulder. Keep it down toward your hip, away from the pull."),
        ("both", "away"): N_("Work on both shoulders. Keep them down toward your hips, away from the pull."),
        ("right", ""): N_("Work on your right shoulder."),
        ("left", ""): N_("Work on your left shoulder."),
        ("both", ""): N_("Work on both shoulders."),
    },
    # One shoulder at a time, its steps holding the seat or a cup with "the hand on the side you
    # work": set for both, the sentence says one at a time (trial 22: "Work on both
    # shoulders." above "the hand on the side named above" named both hands at once).
    "shoulder_down_in_turn": {
        ("right", "away"): N_("Work on your right shoulder. Keep it down toward your hip, away from the pull."),
        ("left", "away"): N_("Work on your left shoulder. Keep it down toward your hip, away from the pull."),
        ("both", "away"): N_("Work on both shoulders, one at a time. Keep each one down, away from the pull."),
        ("right", ""): N_("Work on your right shoulder."),
        ("left", ""): N_("Work on your left shoulder."),
        ("both", ""): N_("Work on both shoulders, one at a time."),
    },
}

# What a patient reads for a direction-specific exercise that has no side yet (direction.py,
# rule 5), instead of a way to move: the phone page shows it, and no handout is made until a side is set.
NOT_SET = N_("Please wait before you start this exercise. The way to move is not set yet.")
# The same for a one-sided exercise (a hand, an arm, a leg, a cheek) whose side is not set yet
# (direction.py, rule 9): it names no way to move, only the side to use.
SIDE_NOT_SET = N_("Please wait before you start this exercise. The side to use is not set yet.")
# What a patient reads for an exercise of their sheet that a re-evaluation has changed (its way to
# move, its side or its picture: services/given.py, moved_since): they have been doing it, so
# they are told to stop, not to wait before they start, until the new sheet is in their hands.
STOP_FOR_NEW_SHEET = N_("Stop doing this exercise for now. Your therapist will give you a new sheet for it.")
# The same once the page has already said a new sheet comes (the count line, or a card above):
# the phone page says "Your therapist will give you a new sheet" once, where it is read first.
STOP_NOW = N_("Stop doing this exercise for now.")

# An exercise that uses the patient's own sensory trick (`[pattern] trick`, the place it touches)
# names the side of that place the recorded pattern gives (pattern.TRICK_PLACES), so the patient
# touches where the trick works: one whole sentence per place and side. The middle, or no side,
# needs none where the steps say where to touch (the chin); the forehead does. The one table of the trick's words: a cheek touch, a
# one-sided exercise whose side the therapist may also choose, reads its cheek's here too
# (LIMB_SENTENCES["cheek"] is this table's entry).
TRICK_SENTENCES: dict[str, dict[str, str]] = {
    "chin": {
        "left": N_("Touch your chin on the left side, where your touch helps."),
        "right": N_("Touch your chin on the right side, where your touch helps."),
    },
    "back_of_head": {
        "left": N_("Rest your hand on the left side of the back of your head."),
        "right": N_("Rest your hand on the right side of the back of your head."),
    },
    "forehead_temple": {
        "left": N_("Use your left temple, where your touch helps."),
        "right": N_("Use your right temple, where your touch helps."),
        "both": N_("Try each temple, and use the one that helps more. The picture shows one side."),
        # Recorded in the middle: the forehead, which the steps (at the temple) do not name.
        "": N_("Use the middle of your forehead, where your touch helps."),
    },
    "cheek": {
        "left": N_("Touch your left cheek."),
        "right": N_("Touch your right cheek."),
        "both": N_("Try each cheek, and use the one that helps more. The picture shows one side."),
    },
}
# A one-sided exercise (`relation = "limb"`) set for both sides is done with each limb in turn, and
# its picture draws one limb (the right, as drawn): "Use both hands." beside one hand read as both at
# once, or as a picture that left a hand out. A symmetric exercise that names its part works both
# at once and its picture draws both ("Use both hands.": LIMB_SENTENCES[part]["both"]). Where the
# part has a wording of its own (lift_foot, stretch_thumb...) its "both" already says "in turn".
IN_TURN: dict[str, str] = {
    "hand": N_("Do this with each hand in turn."),
    "arm": N_("Do this with each arm in turn."),
    "leg": N_("Do this with each leg in turn."),
}

# The one rule for an exercise done on both sides whose picture draws one (the right, as drawn, or
# its mirror), where its words do not say one side at a time: a shoulder exercise set for both
# shoulders ("Work on both shoulders."). This line follows its words, so a patient who copies the
# picture still works both. Direction.one_side_drawn says where; services/patterns.prescription_words
# prints it (the handout, the phone page and its PDF, the builder's preview all read it there).
# A cheek or temple tried on each side says it in its own sentence (NO_ONE_SIDE_LINE); a one-sided
# limb set for both says "in turn" (IN_TURN, and the "both" of a limb's own wording), one limb at a
# time as drawn. Trial 21: "Work on both shoulders." beside one shoulder pressed down, with
# nothing saying the other is not shown.
ONE_SIDE_DRAWN = N_("The picture shows one side.")

# A place tried on each side is drawn on one side (the right, as drawn): the sentence says so, so a
# patient who copies the picture still tries both. Papers given before it said so read the same
# (paper_differs: the old words or these), and in their language: each old sentence is still a
# message. So do papers of a one-sided exercise set for both sides that read "Use both hands."
REWORDED = {
    N_("Try each temple, and use the one that helps more."): TRICK_SENTENCES["forehead_temple"]["both"],
    N_("Try each cheek, and use the one that helps more."): TRICK_SENTENCES["cheek"]["both"],
    N_("Use both hands."): IN_TURN["hand"],
    N_("Use both arms."): IN_TURN["arm"],
    N_("Use both legs."): IN_TURN["leg"],
    # Pushing one shoulder down, then the other (shoulder_down_in_turn, since session 18).
    DIRECTION_SENTENCES["shoulder_down"][("both", "away")]: DIRECTION_SENTENCES["shoulder_down_in_turn"][
        ("both", "away")
    ],
    DIRECTION_SENTENCES["shoulder_down"][("both", "")]: DIRECTION_SENTENCES["shoulder_down_in_turn"][("both", "")],
}


# A limb's side is said by the dosage's own sentence (planner/dosage.py: "Do this with your left
# side.") only where the catalog names no body part; these name the part (or the cheek).
# The body part comes from the catalog (`[pattern] part`): one whole sentence per part and side.
LIMB_SENTENCES: dict[str, dict[str, str]] = {
    "hand": {
        "left": N_("Do this with your left hand."),
        "right": N_("Do this with your right hand."),
        "both": N_("Use both hands."),
    },
    "arm": {
        "left": N_("Do this with your left arm."),
        "right": N_("Do this with your right arm."),
        "both": N_("Use both arms."),
    },
    "leg": {
        "left": N_("Do this with your left leg."),
        "right": N_("Do this with your right leg."),
        "both": N_("Use both legs."),
    },
    "shoulder": {
        "left": N_("Do this with your left shoulder."),
        "right": N_("Do this with your right shoulder."),
        "both": N_("Use both shoulders."),
    },
    # Mirror work for a hand dystonia: the easy hand moves, its reflection stands in for the
    # hidden cramped one; the side is the moving hand's. "both" is no longer offered (no easy hand
    # to move: ExerciseSpec.sides); its sentence stays a message for papers given before.
    "easy_hand": {
        "left": N_("Move your left hand, the easy one. Watch it in the mirror."),
        "right": N_("Move your right hand, the easy one. Watch it in the mirror."),
        "both": N_("Move the easy hand. Watch it in the mirror."),
    },
    # Exercises whose two limbs do different things: the side is the limb the exercise trains
    # (limbs.SIDE_MEANS says which, for the builder), the sentence names it first and says
    # what the other limb does, and the steps never switch sides on their own.
    # A one-leg stand trains the leg it stands on (the trial's left-leg dystonia had printed "Lift
    # your left foot", so the balance work went to the unaffected leg).
    "lift_foot": {
        "left": N_("Stand on your left leg. Lift your right foot."),
        "right": N_("Stand on your right leg. Lift your left foot."),
        "both": N_("Stand on each leg in turn. Lift the other foot."),
    },
    # Lying on the side, the top leg works: the side names the leg on top, so the patient lies on the other.
    "top_leg": {
        "left": N_("Lie on your right side. Your left leg is on top and does the work."),
        "right": N_("Lie on your left side. Your right leg is on top and does the work."),
        "both": N_("Work each leg in turn. Lie with that leg on top."),
    },
    # One hand is stretched, the other holds its thumb.
    "stretch_thumb": {
        "left": N_("Stretch your left thumb and forearm. Hold the thumb with your right hand."),
        "right": N_("Stretch your right thumb and forearm. Hold the thumb with your left hand."),
        "both": N_("Stretch each thumb in turn. Hold it with the other hand."),
    },
    # Both hands hold the towel: the side is the stiff arm the other one helps.
    "helped_arm": {
        "left": N_("Your left arm is the one to help. Let your right arm lead."),
        "right": N_("Your right arm is the one to help. Let your left arm lead."),
        "both": N_("Let both arms share the work."),
    },
    "lead_foot": {
        "left": N_("Step up with your left foot first, every time."),
        "right": N_("Step up with your right foot first, every time."),
        "both": N_("Lead with one foot for all your turns. Then lead with the other."),
    },
    "lift_leg": {
        "left": N_("Lift your left leg. Keep your right knee bent."),
        "right": N_("Lift your right leg. Keep your left knee bent."),
        "both": N_("Lift each leg in turn. Keep the other knee bent."),
    },
    "hang_leg": {
        "left": N_("Lie near the left edge of the bed. Let your left leg hang."),
        "right": N_("Lie near the right edge of the bed. Let your right leg hang."),
        "both": N_("Stretch each leg in turn. Lie near that edge of the bed."),
    },
    "back_leg": {
        "left": N_("Step your left foot back. This stretches your left calf."),
        "right": N_("Step your right foot back. This stretches your right calf."),
        "both": N_("Stretch each calf in turn. Step that foot back."),
    },
    "swing_arm": {
        "left": N_("Let your left arm swing. Lean on your right hand."),
        "right": N_("Let your right arm swing. Lean on your left hand."),
        "both": N_("Let each arm swing in turn. Lean on the other hand."),
    },
    # A cheek touch (direction.py, rule 9): its words are the sensory trick's at the cheek (below).
    "cheek": TRICK_SENTENCES["cheek"],
}


# The "both" sentences ONE_SIDE_DRAWN never follows: those that say it themselves (a place tried on
# each side, written whole before the rule was one line).
NO_ONE_SIDE_LINE = frozenset({TRICK_SENTENCES["forehead_temple"]["both"], TRICK_SENTENCES["cheek"]["both"]})


# An exercise given twice, once for each side (services/program_items.second_copy_side), is told
# apart wherever its name shows (the handout's heading and tick sheet, the phone page, the emails):
# "Wrist stretch (left hand)". The words name what the side names in the exercise's sentences
# above: where the head goes, or the shoulder, hand, arm, leg, foot or cheek that works; "side"
# for an exercise whose wording names no part. By the exercise's wording (`[pattern] wording`/`part`).
SIDE_NAMES: dict[str, dict[str, str]] = {
    "head": {"left": N_("(to the left)"), "right": N_("(to the right)")},
    "shoulder": {"left": N_("(left shoulder)"), "right": N_("(right shoulder)")},
    "hand": {"left": N_("(left hand)"), "right": N_("(right hand)")},
    "arm": {"left": N_("(left arm)"), "right": N_("(right arm)")},
    "leg": {"left": N_("(left leg)"), "right": N_("(right leg)")},
    "foot": {"left": N_("(left foot)"), "right": N_("(right foot)")},
    "cheek": {"left": N_("(left cheek)"), "right": N_("(right cheek)")},
    "": {"left": N_("(left side)"), "right": N_("(right side)")},
}
# The part a wording's side names, as its sentence names it: a one-leg stand's side is the leg it
# stands on, a side-lying lift's the leg on top, a stair step's the foot that leads.
SIDE_NAME_PARTS = {
    **dict.fromkeys(("turn", "tip", "press_turn", "press_tip", "stretch_tip"), "head"),
    **dict.fromkeys(("stretch_shoulder", "shoulder_down", "shoulder_down_in_turn", "shoulder"), "shoulder"),
    **dict.fromkeys(("hand", "easy_hand", "stretch_thumb"), "hand"),
    **dict.fromkeys(("arm", "swing_arm", "helped_arm"), "arm"),
    **dict.fromkeys(("leg", "lift_foot", "back_leg", "top_leg", "lift_leg", "hang_leg"), "leg"),
    "lead_foot": "foot",
    "cheek": "cheek",
}


def side_name(wording: str, side: str) -> str:
    """The words that end the name of an exercise given once for each side, for its copy of `side`
    ("left" → "(left hand)" for the wording "hand"); "" for no side or both (one copy names no
    one side)."""
    return SIDE_NAMES[SIDE_NAME_PARTS.get(wording, "")].get(side, "")


def direction_sentence(wording: str, side: str, relation: str) -> str:
    """The whole sentence for a direction; relation falls back to "" when no sentence says it.

    For example ("turn", "right", "away") → "Turn your head to the right, away from the pull."
    :raise KeyError: for a wording or side the table does not have (the catalog check prevents it),
        and for no side ("").
    """
    table = DIRECTION_SENTENCES[wording]
    return table[(side, relation)] if (side, relation) in table else table[(side, "")]


def limb_sentence(wording: str, side: str, one_sided: bool = False) -> str:
    """The sentence naming the side of an exercise by its part or its own wording ("hand",
    "cheek"); "" for a plain limb (the dosage names its side) or when no side is set. A one-sided
    exercise (`relation = "limb"`) set for "both" reads each limb in turn (IN_TURN), as its
    one-limb picture shows; a symmetric one "Use both hands.", as its picture draws both."""
    if one_sided and side == "both" and wording in IN_TURN:
        return IN_TURN[wording]
    return LIMB_SENTENCES.get(wording, {}).get(side, "")


def trick_sentence(place: str, side: str) -> str:
    """The sentence naming the side of the recorded sensory trick for an exercise that uses the
    trick at `place` ("chin"); for the middle ("") only where the steps do not already say it (the
    forehead of a forehead-or-temple trick); "" otherwise, or for a place with no sentences."""
    return TRICK_SENTENCES.get(place, {}).get(side, "")
