"""Shortened words no table lists, read as what they stand for in the other name.

Clerks and mappers shorten words in ways that vary with each writer: truncated ("Univ.", "Pl."),
contracted to a consonant skeleton ("Mkt", "Hbf", "Natl"), or replaced by initials ("KPP", "YMCA").
Rather than list examples, a word of one name is read as one or more words of the other when it is
such a short form of them and of nothing else there. A dataset's own habits ("Médiath." for
"Médiathèque", "SP" for "Szkoła Podstawowa") are also learnt from the pairs its ref tags link in the
same run. Every reading is a guess, so the similarity it gives is a little below that of the
words as written out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache

from rapidfuzz.distance import OSA

# How much a reading costs (similarity points), by kind: learnt from this dataset's own linked pairs,
# a truncation, initials, a consonant skeleton.
DISCOUNT = {"learnt": 1.0, "prefix": 3.0, "initials": 3.0, "skeleton": 4.0, "suffix": 4.0, "slipped_prefix": 6.0}
_MAX_SHARE = 0.6  # a short form keeps at most this share of the word's letters ("Jean" is no "Jeanne")
# ...or, in a long word, this share when at least _MIN_CUT letters are cut ("Sportpl." for "Sportplatz"):
# first names end in a letter or two more than their other gender ("Louis", "Louise").
_MAX_LONG_SHARE = 0.75
_MIN_CUT = 3
# The last word of a compound stands for it in speech: "Bücherei" for "Stadtbücherei".
_MIN_SUFFIX = 5
_MAX_INITIALS = 8
# A habit is learnt from this many linked pairs, and when it is at least this share of the word's readings.
_MIN_SUPPORT = 2
_MIN_AGREEMENT = 0.75
_MAX_LEARNT_SHARE = 0.75


_VOWELS = frozenset("aeiouy")
_MIN_SLIPPED = 4


def _is_subsequence(short: str, word: str) -> bool:
    letters = iter(word)
    return all(ch in letters for ch in short)


def _kind_of(short: str, word: str) -> str | None:
    """Return how `short` shortens the single word `word` ("prefix", "skeleton", "suffix"), or None."""
    if len(short) < 2 or len(short) >= len(word) or not short.isalpha():
        return None
    if len(short) >= _MIN_SUFFIX and len(word) - len(short) >= _MIN_CUT and word.endswith(short):
        return "suffix"
    if short[0] != word[0]:
        return None
    share = len(short) / len(word)
    if word.startswith(short):
        if share <= _MAX_SHARE:
            # Two letters cut from a short word say too little ("ma" for "main").
            return "prefix" if len(short) > 2 or len(word) >= 5 else None
        return "prefix" if share <= _MAX_LONG_SHARE and len(word) - len(short) >= _MIN_CUT else None
    # A cut word with a slip in it ("komm." for "komenda", "cutl." for "culture"): one edit away from
    # the start of the word, the first letter right.
    sizes = (len(short) - 1, len(short), len(short) + 1)
    if len(short) >= _MIN_SLIPPED and share <= _MAX_SHARE and any(
            OSA.distance(short, word[:size], score_cutoff=1) <= 1 for size in sizes):
        return "slipped_prefix"
    # A contraction keeps the first and last letters and, in between, consonants ("mkt", "bldg") or the
    # start of the word ("natl", "govt"), in order.
    if share <= _MAX_SHARE and short[-1] == word[-1] and _is_subsequence(short, word):
        inner = short[1:-1]
        if not any(ch in _VOWELS for ch in inner) or any(
                word.startswith(short[:cut]) and word.endswith(short[cut:]) for cut in range(2, len(short))):
            return "skeleton"
    return None


def _readings(token: str, other: list[str], own: set[str], learnt: Mapping[str, tuple[str, ...]]
              ) -> list[tuple[int, int, str]]:
    """Return the spans (start, end, kind) of `other` that `token` may stand for."""
    spans: list[tuple[int, int, str]] = []
    phrase = learnt.get(token)
    if phrase:
        size = len(phrase)
        spans += [(i, i + size, "learnt") for i in range(len(other) - size + 1) if tuple(other[i:i + size]) == phrase]
    if 2 <= len(token) <= _MAX_INITIALS and token.isalpha():
        spans += [(start, end, "initials") for start, end in _initial_runs(token, other, own)]
    for i, word in enumerate(other):
        if word not in own:
            kind = _kind_of(token, word)
            if kind:
                spans.append((i, i + 1, kind))
    return spans


def _initial_runs(token: str, other: list[str], own: set[str]) -> list[tuple[int, int]]:
    """Return the runs of words of `other` whose initials spell `token` ("ymca": "young men s christian
    association", a lone letter such as a possessive "s" counted or not)."""
    runs = []
    for start in range(len(other)):
        with_all = with_words = ""
        for end in range(start, len(other)):
            word = other[end]
            if word in own or not word.isalpha():
                break
            with_all += word[0]
            if len(word) > 1:
                with_words += word[0]
            if len(with_all) > len(token) and len(with_words) > len(token):
                break
            if end > start and token in (with_all, with_words) and len(other[start]) > 1 and len(word) > 1:
                runs.append((start, end + 1))
    return runs


@lru_cache(maxsize=1 << 20)
def _words(name: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """Return a normalised name's words, in order and as a set (computed once per name)."""
    words = tuple(name.split())
    return words, frozenset(words)


def expand_short_forms(a: str, b: str, learnt: Mapping[str, tuple[str, ...]] = {},
                       reserved: frozenset[str] = frozenset()) -> tuple[str, float]:
    """Return `a` with each word read as the words of `b` it shortens, and the discount of the guess.

    A word is read only when it is missing from `b` as written and stands for exactly one span of
    `b`'s words. `reserved` words are abbreviations a table already reads ("st": saint or street),
    never guessed at again. The discount is that of the most uncertain reading (0 when none was made).
    """
    words_a, own_a = _words(a)
    words_b, own_b = _words(b)
    # Every reading but a learnt one or a compound's ending starts with the first letter of a word of b.
    firsts = {word[0] for word in words_b if word not in own_a}
    readable = [
        token for token in words_a
        if not (token in own_b or token.isdigit() or (token in reserved and token not in learnt))
        and (token[0] in firsts or token in learnt
             or (len(token) >= _MIN_SUFFIX and any(word.endswith(token) for word in words_b)))
    ]
    if not readable:
        return a, 0.0  # the common case: no word of a can stand for words of b
    out: list[str] = []
    discount = 0.0
    for token in words_a:
        if token not in readable:
            out.append(token)
            continue
        spans = set(_readings(token, list(words_b), set(own_a), learnt))
        targets = {tuple(words_b[start:end]) for start, end, _ in spans}
        if len(targets) != 1:
            out.append(token)
            continue
        target = targets.pop()
        out.extend(target)
        discount = max(discount, min(DISCOUNT[kind] for start, end, kind in spans))
    return " ".join(out), discount


def learn_short_forms(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Return the short forms one dataset uses, learnt from pairs of normalised names of one place.

    In each pair that differs by one word on one side against a run of words on the other (the
    rest equal), the word is a reading of the run: "mediath X" / "mediatheque X", "sp 5" /
    "szkola podstawowa 5". A reading is kept when enough pairs show it and few show another.
    """
    seen: defaultdict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
    for first, second in pairs:
        for short, long in ((first, second), (second, first)):
            reading = _one_word_reading(short.split(), long.split())
            if reading:
                seen[reading[0]][reading[1]] += 1
    learnt: dict[str, tuple[str, ...]] = {}
    for word, readings in seen.items():
        (phrase, count), total = readings.most_common(1)[0], sum(readings.values())
        if count >= _MIN_SUPPORT and count >= _MIN_AGREEMENT * total:
            learnt[word] = phrase
    return learnt


def _one_word_reading(short: list[str], long: list[str]) -> tuple[str, tuple[str, ...]] | None:
    """Return (word, run) when `short` is `long` with one run of words replaced by one other word."""
    if len(short) > len(long) or not short:
        return None
    head = 0
    while head < len(short) and short[head] == long[head]:
        head += 1
    tail = 0
    while tail < len(short) - head and short[-1 - tail] == long[-1 - tail]:
        tail += 1
    if head + tail != len(short) - 1:
        return None
    word, run = short[head], tuple(long[head:len(long) - tail])
    if not run or word in run or word.isdigit() or any(w.isdigit() for w in run) or len(run) > _MAX_INITIALS:
        return None
    # A short form is shorter than what it stands for: "maternelle" is not a way of writing "elementaire".
    if len(word) > _MAX_LEARNT_SHARE * len(" ".join(run)):
        return None
    return word, run
