"""Typo tolerance for the exercise search: the nearest known word to a misspelt one.

Used only when the exact search finds nothing, so the common case stays one SQL query.
Candidates are found through shared trigrams, then ranked by edit distance (a swap of two
neighbouring letters counts as one edit, the most common slip on a keyboard).
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Mapping

MIN_LENGTH = 3  # shorter words are too ambiguous to correct
CANDIDATES = 40  # distance is computed only for the words sharing most trigrams


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance between a and b, or limit + 1 when it exceeds limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        # A transposition reaches back two rows, so stop only when both are past the limit.
        if min(current) > limit and min(previous) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Vocabulary:
    """Known words, with how many exercises use each."""

    def __init__(self, counts: Mapping[str, int]) -> None:
        self.counts = dict(counts)
        self.sorted_words = sorted(counts)
        self.by_trigram: dict[str, list[str]] = defaultdict(list)
        for word in self.sorted_words:
            for tri in _trigrams(word):
                self.by_trigram[tri].append(word)

    def knows(self, word: str) -> bool:
        """True when the word, or a longer word it starts (a prefix typed so far), is known."""
        i = bisect.bisect_left(self.sorted_words, word)
        return i < len(self.sorted_words) and self.sorted_words[i].startswith(word)

    def nearest(self, word: str) -> str | None:
        """The closest known word within 1 edit (words up to 5 letters) or 2 edits; None when none is."""
        limit = 1 if len(word) <= 5 else 2
        shared: Counter[str] = Counter()
        for tri in _trigrams(word):
            shared.update(self.by_trigram.get(tri, ()))
        best: tuple[int, int, int, str] | None = None
        for candidate, common in shared.most_common(CANDIDATES):
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                # Ties go to the word that looks most alike ("rols": "rolls" over "roll"), then the commoner.
                rank = (distance, -common, -self.counts[candidate], candidate)
                best = rank if best is None or rank < best else best
        return best[-1] if best else None

    def correct(self, words: list[str]) -> list[str]:
        """The words with each unknown one replaced by its nearest known word, where there is one."""
        fixed = []
        for word in words:
            if len(word) >= MIN_LENGTH and not self.knows(word):
                word = self.nearest(word) or word
            fixed.append(word)
        return fixed
