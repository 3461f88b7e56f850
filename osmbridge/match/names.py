"""Name normalisation and similarity: what a person reading two signs would call the same name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from osmbridge.match.abbreviations import ABBREVIATIONS, FOLDED_LETTERS, STOPWORDS, SUFFIX_ABBREVIATIONS
from osmbridge.match.short_forms import expand_short_forms

# OSM name tags a city name is compared with; the best agreement counts.
OSM_NAME_KEYS = ("name", "official_name", "short_name", "alt_name", "old_name")

_FOLD = str.maketrans(FOLDED_LETTERS)
# Punctuation and symbols; the vowel signs and other marks of Hebrew, Arabic, Indic and South-East
# Asian scripts are part of their words (Python's \w leaves them out).
_NON_WORD = re.compile(
    "(?:[^\\w\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0dff"
    "\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff]|_)+"
)
# Combining diacritical marks (accents, cedillas, ogoneks...); the vowel signs of Indic and other
# scripts are letters, not accents, and are kept.
_DIACRITICS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_DIGITS = re.compile(r"\d+")
# When both names carry numbers and the numbers differ, the places differ ("Parking 1" is not
# "Parking 2", "Komisariat Policji II" is not "Komisariat Policji III") however alike the letters.
_DIFFERENT_NUMBER_CAP = 40.0
# When each name has a word the other lacks and no spelling slip explains it ("École maternelle
# X" / "École élémentaire X"), the names say different things: at most this similar, which
# scores as evidence against, so that being on the same spot alone does not link them.
_DIFFERENT_WORD_CAP = 50.0
_TYPO_RATIO = 75.0
# A word of five letters or more with at most two slips (a swap counts one) may be a misspelling of
# another: not evidence that the names differ ("Mzoatr" / "Mozart").
_TYPO_MIN_LENGTH = 5
_TYPO_MAX_EDITS = 2


def _plain(text: str) -> str:
    """Return text lower-cased, without accents, punctuation turned into single spaces."""
    if not text.isascii():
        text = _DIACRITICS.sub("", unicodedata.normalize("NFKD", text.translate(_FOLD)))
    return _NON_WORD.sub(" ", text.casefold()).strip()


def _build_phrases() -> tuple[dict[tuple[str, ...], str], dict[str, tuple[str, ...]]]:
    """Return {tokens of a form: canonical text} over all languages, and the abbreviations kept as written
    with the forms they stand for.

    An abbreviation with one meaning expands to it; one with several ("st") stays, and each of
    its meanings folds onto it.
    """
    meanings: dict[str, list[str]] = {}
    for entries in ABBREVIATIONS.values():
        for long_form, abbreviations in entries:
            for abbreviation in abbreviations:
                forms = meanings.setdefault(_plain(abbreviation), [])
                if _plain(long_form) not in forms:
                    forms.append(_plain(long_form))
    canonical_of_long: dict[str, str] = {}
    for abbreviation, forms in sorted(meanings.items()):
        if len(forms) > 1:
            for form in forms:
                canonical_of_long.setdefault(form, abbreviation)
    phrases: dict[tuple[str, ...], str] = {}
    for abbreviation, forms in meanings.items():
        target = abbreviation if len(forms) > 1 else canonical_of_long.get(forms[0], forms[0])
        phrases[(abbreviation,)] = target
    for form, abbreviation in canonical_of_long.items():
        phrases[tuple(form.split())] = abbreviation
    for forms in meanings.values():
        for form in forms:
            phrases.setdefault(tuple(form.split()), canonical_of_long.get(form, form))
    kept = {abbreviation: tuple(forms) for abbreviation, forms in meanings.items() if len(forms) > 1}
    return phrases, kept


# Abbreviations the tables keep as they are because they stand for several words ("st", "pl"): the
# short-form reader does not guess at them.
_PHRASES, _MEANINGS = _build_phrases()
_KEPT_ABBREVIATIONS = frozenset(_MEANINGS)
# Lengths of the known forms starting with each word, longest first: most words start none.
_FORM_SIZES: dict[str, tuple[int, ...]] = {}
for _form in _PHRASES:
    _FORM_SIZES[_form[0]] = tuple(sorted(set(_FORM_SIZES.get(_form[0], ())) | {len(_form)}, reverse=True))
_STOPWORDS = frozenset().union(*STOPWORDS.values())
_SUFFIXES = tuple(
    (_plain(form), canonical) for table in SUFFIX_ABBREVIATIONS.values() for form, canonical in table
)


def _fold_suffix(token: str) -> str:
    """Return a compound word with its abbreviable ending shortened ("hauptstrasse" -> "hauptstr")."""
    for suffix, canonical in _SUFFIXES:
        if len(token) > len(suffix) and token.endswith(suffix):
            return token[: -len(suffix)] + canonical
    return token
_STOPWORDS = frozenset().union(*STOPWORDS.values())


def _fold_tokens(tokens: list[str]) -> list[str]:
    """Replace the longest known long form at each position by its canonical abbreviation."""
    folded: list[str] = []
    i = 0
    while i < len(tokens):
        for size in _FORM_SIZES.get(tokens[i], ()):
            canonical = _PHRASES.get(tuple(tokens[i : i + size]))
            if canonical is not None:
                folded.extend(canonical.split())
                i += size
                break
        else:
            folded.append(_fold_suffix(tokens[i]) if _SUFFIXES else tokens[i])
            i += 1
    return folded


@lru_cache(maxsize=1 << 20)
def normalize_name(name: str) -> str:
    """Return the comparable form of a name: case, accents, punctuation, articles, abbreviations.

    "Bibli. Saint-Éloi" and "Bibliothèque St Eloi" both become "bibl st eloi"; "KMP w Legnicy"
    and "Komenda Miejska Policji w Legnicy" both become "kmp legnicy".
    """
    tokens = _fold_tokens(_plain(name).split())
    # "II" and "2" are one number; a lone "i" may be the Polish "and", so only longer numerals.
    tokens = [_ROMAN_NUMERALS.get(t, t) for t in tokens]
    kept = [token for token in tokens if token not in _STOPWORDS]
    return " ".join(kept or tokens)


@lru_cache(maxsize=1 << 20)
def _numbers(normalized: str) -> frozenset[int]:
    """Return the numbers a normalised name carries: digits, and lone Roman numerals i, v, x.

    Longer numerals ("ii", "iv") were turned into digits by normalize_name.
    """
    found = {int(digits) for digits in _DIGITS.findall(normalized)}
    tokens = normalized.split()
    for position, token in enumerate(tokens):
        if token in _ROMAN_VALUES:
            # A lone "i" is also the Polish "and": count it only at either end of the name.
            if token == "i" and 0 < position < len(tokens) - 1:
                continue
            found.add(_ROMAN_VALUES[token])
    return frozenset(found)


def _roman_value(token: str) -> int:
    """Return the value of a Roman numeral made of i, v, x."""
    total = 0
    for current, following in zip(token, token[1:] + " "):
        value = _ROMAN_VALUES[current]
        total += -value if following != " " and _ROMAN_VALUES[following] > value else value
    return total


# Roman numerals of two letters or more, as digits ("ii" -> "2" ... "xxxix" -> "39").
_ROMAN_NUMERALS = {
    tens + units: str(_roman_value(tens + units))
    for tens in ("", "x", "xx", "xxx")
    for units in ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
    if len(tens + units) > 1
}


@lru_cache(maxsize=1 << 20)
def similarity_of_normalized(a: str, b: str) -> float:
    """Return 0..100 for two already normalised names."""
    return similarity_with_short_forms(a, b, {})


def similarity_with_short_forms(a: str, b: str, learnt: Mapping[str, tuple[str, ...]]) -> float:
    """Return 0..100 for two normalised names, reading shortened words (and `learnt` short forms) whole."""
    if a == b:
        return 100.0
    if not a or not b:
        return 0.0
    # A misspelt word a table would have folded ("cehtre" for "centre", folded to "ctr") is read as folded.
    a, b = _misspelt_table_words(b, a), _misspelt_table_words(a, b)
    if a == b:
        return 100.0 - _MISSPELT_TABLE_DISCOUNT
    score = _similarity(a, b)
    if score >= _NO_READING_ABOVE:
        return score
    expanded_a, discount_a = expand_short_forms(a, b, learnt, _KEPT_ABBREVIATIONS)
    expanded_b, discount_b = expand_short_forms(b, a, learnt, _KEPT_ABBREVIATIONS)
    if (expanded_a, expanded_b) != (a, b):
        # Reading a short form as the whole words is a guess: a little short of the real thing.
        score = max(score, _similarity(expanded_a, expanded_b) - max(discount_a, discount_b))
    return score


_MISSPELT_TABLE_DISCOUNT = 2.0
# Names this alike as written gain nothing worth the cost from reading their short forms.
_NO_READING_ABOVE = 97.0


def _misspelt_table_words(a: str, b: str) -> str:
    """Return `b` with each word that misspells a meaning of an abbreviation of `a` written as that abbreviation."""
    words_a, words_b = a.split(), b.split()
    kept = [word for word in words_a if word in _MEANINGS and word not in words_b]
    if not kept:
        return b
    own = set(words_a)
    out = []
    for word in words_b:
        if word not in own and word.isalpha() and len(word) >= 4:
            for abbreviation in kept:
                if any(_close_spelling(word, form) for form in _MEANINGS[abbreviation] if " " not in form):
                    word = abbreviation
                    break
        out.append(word)
    return " ".join(out)


def _close_spelling(word: str, form: str) -> bool:
    """Tell whether `word` is `form` with one slip (two for words over six letters)."""
    limit = 1 if len(form) <= 6 else 2
    return abs(len(word) - len(form)) <= limit and OSA.distance(word, form, score_cutoff=limit) <= limit


def _similarity(a: str, b: str) -> float:
    """Return 0..100 for two normalised names, words taken as written."""
    if a == b:
        return 100.0
    sort = fuzz.token_sort_ratio(a, b)
    # One name being the other plus words ("Chaptal" / "Bibliothèque Chaptal") is good but not
    # full evidence: half-way between the subset score (100) and the ordered comparison.
    score = max(fuzz.ratio(a, b), sort, (fuzz.token_set_ratio(a, b) + sort) / 2)
    if score > _DIFFERENT_NUMBER_CAP:
        numbers_a, numbers_b = _numbers(a), _numbers(b)
        if numbers_a and numbers_b and numbers_a != numbers_b:
            return _DIFFERENT_NUMBER_CAP
    if score > _DIFFERENT_WORD_CAP and _disagree_on_a_word(a, b):
        score = _DIFFERENT_WORD_CAP
    return float(score)


def _disagree_on_a_word(a: str, b: str) -> bool:
    """Tell whether each name has a word missing from the other that is no misspelling of it."""
    tokens_a, tokens_b = set(a.split()), set(b.split())
    only_a, only_b = tokens_a - tokens_b, tokens_b - tokens_a
    if not only_a or not only_b:
        return False
    # Words glued or split differently ("beaux arts" / "beauxarts") are the same words.
    if "".join(sorted(only_a)) == "".join(sorted(only_b)) or "".join(a.split()) == "".join(b.split()):
        return False
    # A word beginning another ("k" / "koulu") is an abbreviation, not a different word.
    return any(
        all(fuzz.ratio(word, other) < _TYPO_RATIO and not other.startswith(word) and not word.startswith(other)
            and not _misspelt(word, other)
            for other in only_b)
        for word in only_a
    )


def _misspelt(word: str, other: str) -> bool:
    """Tell whether two words may be one misspelt: long enough and within two slips of each other (a swap
    counts one), or two letters swapped in a short one ("aal" / "ala")."""
    if word.isdigit() or other.isdigit():
        return False
    if min(len(word), len(other)) >= _TYPO_MIN_LENGTH:
        return OSA.distance(word, other, score_cutoff=_TYPO_MAX_EDITS) <= _TYPO_MAX_EDITS
    return len(word) >= 3 and sorted(word) == sorted(other) and OSA.distance(word, other, score_cutoff=1) <= 1


def name_similarity(a: str | None, b: str | None) -> float | None:
    """Return how alike two names are, 0..100 after normalisation; None when either is missing."""
    if a is None or b is None or not a.strip() or not b.strip():
        return None
    return similarity_of_normalized(normalize_name(a), normalize_name(b))


class NameComparer:
    """Name similarity within one run: the general rules, plus the short forms the run's linked pairs taught."""

    def __init__(self, learnt: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.learnt = dict(learnt or {})
        self._cache: dict[tuple[str, str], float] = {}

    def similarity(self, a: str, b: str) -> float:
        """Return 0..100 for two normalised names."""
        if not self.learnt or not any(word in self.learnt for word in (*a.split(), *b.split())):
            return similarity_of_normalized(a, b)
        key = (a, b)
        score = self._cache.get(key)
        if score is None:
            score = self._cache[key] = similarity_with_short_forms(a, b, self.learnt)
        return score
