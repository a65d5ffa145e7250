"""The allowed values of an exercise's tags, with the words a therapist reads for each.

docs/catalog-format.md lists the same values; the schema, the search filters and the forms
all read them from here.
"""

from __future__ import annotations

CATEGORIES = {
    "range_of_motion": "Range of motion",
    "strengthening": "Strengthening",
    "posture": "Posture",
    "stretching": "Stretching",
    "sensory_trick": "Sensory trick",
    "relaxation": "Relaxation",
    "balance": "Balance",
    "task_practice": "Task practice",
    "speech_swallow": "Speech and swallowing",
}

REGIONS = {
    "head": "Head",
    "neck": "Neck",
    "shoulders": "Shoulders",
    "trunk": "Trunk",
    "arms_hands": "Arms and hands",
    "hips_legs": "Hips and legs",
    "face_jaw": "Face and jaw",
}

POSITIONS = {
    "lying": "Lying on the back",
    "prone": "Lying on the stomach",
    "side_lying": "Lying on the side",
    "sitting": "Sitting",
    "standing": "Standing",
    "hands_knees": "On hands and knees",
    "kneeling": "Kneeling",
}

EQUIPMENT = {
    "none": "Nothing",
    "towel": "Towel",
    "band": "Exercise band",
    "mirror": "Mirror",
    "wall": "Wall",
    "chair": "Chair",
    "ball": "Ball",
    "pen_paper": "Pen and paper",
    "pillow": "Pillow",
    "table": "Table",
    "cup": "Cup",
    "weight": "Weight",
    "step": "Step",
    "putty": "Putty",
    "mat": "Mat",
    "timer": "Timer",
}

CONDITIONS = {
    "cervical_dystonia": "Cervical dystonia",
    "blepharospasm": "Blepharospasm",
    "oromandibular_dystonia": "Oromandibular dystonia",
    "writers_cramp": "Writer's cramp",
    "spasmodic_dysphonia": "Spasmodic dysphonia",
    "generalized_dystonia": "Generalized dystonia",
    "parkinsonism": "Parkinsonism",
    "general": "General",
}

# The dystonia-aware approaches, with what each means in practice.
APPROACHES = {
    "midline_holding": "Midline holding",
    "away_from_pull": "Away from the pull",
    "opposing_muscles": "Opposing muscles",
    "mirror_feedback": "Mirror feedback",
    "sensory_trick": "Sensory trick",
    "calm_position_start": "Start in a calm position",
    "relaxation_breathing": "Relaxation and breathing",
    "handwriting_grip": "Handwriting and grip",
    "speech_swallow": "Speech and swallowing",
}

APPROACH_HINTS = {
    "midline_holding": "Finding and holding the head or trunk in the middle.",
    "away_from_pull": "Moving away from the direction the dystonia pulls.",
    "opposing_muscles": "Activating the muscles that oppose the overactive ones.",
    "mirror_feedback": "Using a mirror to see and correct the posture or movement.",
    "sensory_trick": "Practising a light touch that eases the spasm.",
    "calm_position_start": "Starting where symptoms are calmest, often lying down.",
    "relaxation_breathing": "Relaxation and slow breathing.",
    "handwriting_grip": "Handwriting and grip practice.",
    "speech_swallow": "Speech and swallowing work.",
}

DIFFICULTIES = {1: "Easy", 2: "Moderate", 3: "Hard"}

# The list-valued tags of an exercise and their allowed values, by field name.
TAG_LISTS = {
    "regions": REGIONS,
    "equipment": EQUIPMENT,
    "conditions": CONDITIONS,
    "approaches": APPROACHES,
}


def label(values: dict, key: object) -> str:
    """The reader's word for a stored value; the value itself when unknown (an old tag stays readable)."""
    return values.get(key, str(key).replace("_", " ").capitalize())


def condition_label(tag: str) -> str:
    """A patient's condition tag as shown wherever tags are: "Writer's cramp" for writers_cramp
    (CONDITIONS); a clinic's own tag (site settings) with its underscores as spaces, capitalised."""
    return label(CONDITIONS, tag)
