"""The names of the files a patient receives (the handout attached to an email, the phone page's
download), in the patient's language, and the header that gives a name to a browser.

A name comes from the title the handout prints (a shipped template's title in the patient's
language, else the title as written), so the file and its first page say the same thing.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from planner.i18n import translator
from planner.languages import shipped_text

# Characters per name before ".pdf": 4 bytes a character at most keeps it under the 255 bytes
# a file name may have.
LONGEST = 60
# RFC 5987 attr-char: what filename*= carries without percent-encoding.
_ATTR_CHARS = "!#$&+-.^_`|~"


def handout_title(title: str, language: str) -> str:
    """The program's title as the handout prints it: its translation when it is a shipped text
    (languages.shipped_text), else as written."""
    return shipped_text(title, language) or title


def handout_file_name(title: str, language: str) -> str:
    """The handout's file name for a patient who reads `language`, from the program's `title`:
    "Your home program for neck control" in Spanish → "su-programa-en-casa-para-el-control-del-cuello.pdf"."""
    return file_name(handout_title(title, language), language)


def file_name(title: str, language: str = "en") -> str:
    """`title` as a file name in its own script: letters and digits kept, everything else one "-",
    lower case, at most LONGEST characters before ".pdf". A title with no letter or digit gives
    the word for "my exercises" in `language`.

    "Ejercicios de José" → "ejercicios-de-josé.pdf"; quotes, slashes, CR and LF never survive.
    """
    name = "".join(c if c.isalnum() else "-" for c in title).lower()
    name = "-".join(part for part in name.split("-") if part)[:LONGEST].strip("-")
    if not name:
        # Translators: a file name, lower case and joined by "-", for a handout whose title has no letters.
        name = translator(language).gettext("my-exercises")
    return f"{name}.pdf"


def ascii_file_name(name: str) -> str:
    """`name` for a program that reads only ASCII file names: accents dropped ("josé" → "jose"),
    every other letter outside ASCII left out; "handout.pdf" when nothing is left."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    plain = "".join(c if c.isalnum() else "-" for c in plain)
    plain = "-".join(part for part in plain.split("-") if part)
    extension = "".join(c for c in extension if c.isascii() and c.isalnum())
    return f"{plain or 'handout'}.{extension or 'pdf'}"


def content_disposition(name: str, disposition: str = "inline") -> str:
    """The Content-Disposition header (RFC 6266) that gives `name` to a browser: `filename` in
    ASCII for old programs and, when `name` has letters outside ASCII, `filename*` in UTF-8
    (RFC 5987), which every current browser prefers.

    Nothing of `name` reaches the header unencoded but letters, digits and "-._": no quote,
    CR, LF or slash can end the value or add a header.
    """
    plain = ascii_file_name(name)
    header = f'{disposition}; filename="{plain}"'
    if plain != name:
        header += f"; filename*=UTF-8''{quote(name, safe=_ATTR_CHARS)}"
    return header
