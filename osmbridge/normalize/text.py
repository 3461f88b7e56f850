"""Text helpers shared by the normalizers: accent/case folding and title-casing of shouted text."""

from __future__ import annotations

import re
import unicodedata

# Words kept lower-case inside a title-cased French/Polish/English name.
_SMALL_WORDS = frozenset(
    "de des du d la le les l et à a aux au sur sous en par pour lès lez "
    "i w we z ze na pod nad przy of the and on at in".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


def clean_space(text: str) -> str:
    """Return `text` with runs of whitespace (including no-break spaces) collapsed and ends stripped."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Return a comparison form: no accents, case-folded, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # ł has no decomposition but Polish writers drop its stroke like any accent.
    return clean_space(stripped.replace("ł", "l").replace("Ł", "L").casefold())


def is_shouted(text: str) -> bool:
    """Return True when every cased letter of `text` is upper-case (or all lower-case): a title-case candidate."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and (all(c.isupper() for c in letters) or all(c.islower() for c in letters))


def title_case(text: str) -> str:
    """Return `text` title-cased the way names are written: small words stay lower-case except first.

    "RUE DE L'ABBAYE" -> "Rue de l'Abbaye"; "ST-SEBASTIEN" -> "St-Sebastien".
    """
    text = clean_space(text)
    out: list[str] = []
    last = 0
    for index, match in enumerate(_WORD.finditer(text)):
        out.append(text[last:match.start()])
        lower = match.group(0).lower()
        elided = re.match(r"^(l|d)(['’])(.+)$", lower)
        if elided:
            # French elision: "l'abbaye" -> "l'Abbaye" ("L'Abbaye" as first word)
            head = elided.group(1).upper() if index == 0 else elided.group(1)
            out.append(head + elided.group(2) + elided.group(3)[:1].upper() + elided.group(3)[1:])
        elif index > 0 and lower in _SMALL_WORDS:
            out.append(lower)
        else:
            out.append(lower[:1].upper() + lower[1:])
        last = match.end()
    out.append(text[last:])
    return "".join(out)


_ROMAN = re.compile(r"^[IVXLCDM]+$")


def title_shouted_words(text: str) -> str:
    """Return `text` with only its words in capitals title-cased: "rue DE LA CROIX" -> "rue de la Croix".

    Roman numerals ("II", "XIV") and one-letter words stay as written.
    """
    words = clean_space(text).split(" ")
    out = []
    for index, word in enumerate(words):
        letters = [c for c in word if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters) and not _ROMAN.match(word.strip(".,;")):
            # title_case of a two-word phrase keeps a small word lower-case unless it comes first
            word = title_case(f"x {word}")[2:] if index > 0 else title_case(word)
        out.append(word)
    return " ".join(out)
