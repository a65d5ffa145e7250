"""Handouts already made in this process, kept by what they show, so the same handout asked for
again (a therapist printing twice, a patient opening the PDF on the phone) is not laid out again.

The key is a SHA-256 of everything the PDF is made from: the whole `HandoutContent` (clinic name
and contact, patient, therapist, version number and date, the check-up sentence that depends on
today, every exercise's text, side, picture and photo, advice, the QR address, layout, language, the clinic's paper)
and the `HandoutOptions` (page size, print sizes). `render` is a function of those two alone
(reproducible output: `invariant`, dates from the version), so equal keys mean equal bytes, and
any change to what a handout prints (a new version, another clinic name, another day that changes
the check-up line, a larger print size) is another key: a kept PDF can never be stale. Two equal
contents may pickle differently (shared objects are written once), which only costs a miss.

Per process, at most MAX_BYTES of PDFs, least recently used dropped first; a lock keeps it whole
under a threaded server.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable

from planner.handouts.content import HandoutContent
from planner.handouts.styles import HandoutOptions

MAX_BYTES = 16 * 1024 * 1024  # about 200 handouts of the demo's size (50-100 KiB) per worker

_kept: OrderedDict[bytes, bytes] = OrderedDict()
_size = 0
_lock = threading.Lock()


def key(content: HandoutContent, options: HandoutOptions) -> bytes:
    """The digest of all a handout is made from (32 bytes)."""
    return hashlib.sha256(pickle.dumps((content, options), protocol=pickle.HIGHEST_PROTOCOL)).digest()


def made(content: HandoutContent, options: HandoutOptions, make: Callable[[], bytes]) -> bytes:
    """The PDF of `content` under `options`: the one kept, else `make()`'s, which is then kept."""
    digest = key(content, options)
    with _lock:
        pdf = _kept.get(digest)
        if pdf is not None:
            _kept.move_to_end(digest)
            return pdf
    pdf = make()
    _keep(digest, pdf)
    return pdf


def _keep(digest: bytes, pdf: bytes) -> None:
    global _size
    if len(pdf) > MAX_BYTES // 4:  # a handout of many photos: made again when asked, not kept
        return
    with _lock:
        if digest in _kept:
            return
        _kept[digest] = pdf
        _size += len(pdf)
        while _size > MAX_BYTES:
            _, dropped = _kept.popitem(last=False)
            _size -= len(dropped)


def forget() -> None:
    """Drop every kept PDF, as in a new process (benchmarks and tests of the first handout)."""
    global _size
    with _lock:
        _kept.clear()
        _size = 0


def count() -> int:
    """How many PDFs are kept now."""
    return len(_kept)
