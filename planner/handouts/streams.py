"""A handout page's operators, written as one or more compressed content streams.

A page's /Contents may be an array of streams, read as one. Each exercise block, the same in
many handouts, is a stream of its own: compressed once per process (see replay) and copied
into every handout that shows it. Only what is the page's alone is compressed per page.
"""

from __future__ import annotations

import zlib
from typing import Any

from reportlab.pdfbase import pdfdoc

from planner.handouts.fontcache import Formatted, stream_object

# zlib's fastest level: page text compresses to 13 % more bytes than at its default level,
# in half the time (a handout's pages hold about 70 KiB of operators).
LEVEL = 1


class Segment(str):
    """Operators that go into a content stream of their own, compressed once however often written."""

    _packed: bytes | None = None

    def stream(self) -> Formatted:
        """A new stream object (an object belongs to one document), of bytes made once."""
        if self._packed is None:
            self._packed = stream_object(zlib.compress(f"{self}\n".encode(), LEVEL))
        return Formatted((self._packed,))


def contents(parts: list[str]) -> list[Any]:
    """The content streams of a page whose operators are `parts` (joined by newlines, as
    reportlab joins them), with every Segment a stream of its own."""
    streams: list[Any] = []
    run: list[str] = []
    for part in parts:
        if type(part) is Segment:
            if run:
                streams.append(_own(run))
                run = []
            streams.append(part.stream())
        else:
            run.append(part)
    if run:
        streams.append(_own(run))
    return streams


def _own(parts: list[str]) -> pdfdoc.PDFObject:
    return Formatted((stream_object(zlib.compress(("\n".join(parts) + "\n").encode("utf8"), LEVEL)),))
