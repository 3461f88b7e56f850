"""What a note's text reports about the place next to it: a closure, a wrong value, or neither (pure).

Words in English and French, matched without regard to case or accents (many notes are typed on a
phone without them). A closure that names days or hours ("closed on Sundays", "fermé le lundi") is
about opening hours: a wrong value. A temporary closure (works, holidays, "until", "jusqu'au") or a
negated one ("not closed", "pas fermé") is no closure. When a text reports both, the closure wins.
"""

from __future__ import annotations

import re
import unicodedata

from osmbridge.model import NoteConcern

_WEEKDAYS = (r"(mon|tues|wednes|thurs|fri|satur|sun)days?|lundis?|mardis?|mercredis?|jeudis?|vendredis?|samedis?|"
             r"dimanches?|week-?ends?|weekdays?|holidays?|jours? feries?|midi|noon|lunch(time)?|nights?|evenings?|"
             r"mornings?|afternoons?|soirs?|matins?|apres-midi|\d{1,2} ?(h|:|am|pm)")
_CLOSURE = [
    r"(permanently |definitely |definitively )?closed( down| for good| permanently)?",
    r"shut( down)?", r"no longer (exists?|there|here|open|in business|operating|operational|in use)",
    r"does ?n'?o?t exist( anymore)?", r"doesn't exist( anymore)?", r"not there any ?more", r"demolished",
    r"torn down", r"out of business", r"has moved( away| out)?", r"moved (away|out)", r"relocated", r"abandoned",
    r"disused", r"gone", r"vacant", r"out of order",
    r"fermee?s?( definitivement| depuis| pour de bon| a jamais)", r"fermees?",
    r"(est|a|sont|ont|etait|desormais|maintenant|definitivement) (definitivement )?ferme", r"fermeture definitive",
    r"a ferme ses portes", r"n'existe (plus|pas)", r"n'est plus (la|ici|ouverte?|en (activite|service))",
    r"plus en (activite|service)", r"cesse (son|ses) activites?", r"cessation d'activite", r"demolie?s?",
    r"detruite?s?", r"desaffectee?s?", r"abandonnee?s?", r"a demenage", r"demenagee?s?", r"disparue?s?",
    r"(local|batiment|magasin) vide", r"hors service",
]
_WRONG_VALUE = [
    r"wrong", r"incorrect", r"outdated", r"out of date", r"mistakes?", r"errors?", r"typo", r"misspel\w*",
    r"not correct", r"should be", r"is actually", r"is now called", r"renamed", r"misplaced",
    r"new (name|address|phone|number|website|opening hours|hours|owner|operator)",
    r"(opening )?hours (are|have) changed", r"changed (its|their) (name|hours|opening hours|address)",
    r"fau(x|sse|sses)", r"errone(e|s|es)?", r"erreurs?", r"incorrecte?s?", r"inexacte?s?", r"obsoletes?",
    r"(plus|pas) a jour", r"mauvaise?s?", r"nouve(au|l|lle|aux|lles) (nom|adresse|horaires?|numero|telephone|site)",
    r"s'appelle (maintenant|desormais)", r"renommee?s?", r"a change de (nom|adresse|horaires?|numero)",
    r"mal (placee?|positionnee?|localisee?)", r"devrait etre", r"a corriger",
]
_TEMPORARY = re.compile(
    r"\b(temporarily|temporary|temporairement|temporaire(ment)?|provisoirement|momentanement|pour travaux|"
    r"en travaux|for (renovation|works|repairs)|under (renovation|construction)|until|jusqu'(au|a|en)|"
    r"pendant les (vacances|travaux)|during (the )?(holidays|works|renovation)|for the (summer|holidays|season)|"
    r"cet ete|this summer|conges)\b")
_NEGATED = re.compile(r"\b(not|never|isn't|pas|jamais)\s+(\w+\s+)?$")
# Up to three words after it, in the same sentence.
_HOURS_AFTER = re.compile(r"^[^\w.;!?\n]*(\w+[^\w.;!?\n]+){0,3}?(" + _WEEKDAYS + r")\b")
_CLOSURE_RE = re.compile(r"\b(" + "|".join(_CLOSURE) + r")\b")
# "ferme" without its accent is also a farm: alone, only the accented word tells a closure.
_ACCENTED_CLOSURE_RE = re.compile(r"\bfermée?s?\b")
_WRONG_RE = re.compile(r"\b(" + "|".join(_WRONG_VALUE) + r")\b")


def fold(text: str) -> str:
    """Return `text` lower-cased without accents, one character for each of the original's."""
    out = []
    for char in text.lower().replace("’", "'"):
        bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        out.append(bare if len(bare) == 1 else char)
    return "".join(out)


def classify_note(text: str) -> tuple[NoteConcern | None, str | None]:
    """Return what `text` reports (closure, wrong_value or None) and the words that told, as written."""
    folded = fold(text)
    temporary = _TEMPORARY.search(folded) is not None
    hours_phrase: tuple[int, int] | None = None
    lowered = text.lower().replace("’", "'")
    spans = sorted({(m.start(), m.end()) for m in _CLOSURE_RE.finditer(folded)}
                   | ({(m.start(), m.end()) for m in _ACCENTED_CLOSURE_RE.finditer(lowered)}
                      if len(lowered) == len(text) else set()), key=lambda span: (span[0], -span[1]))
    for start, end in spans:
        if _NEGATED.search(folded[:start]):
            continue
        after = _HOURS_AFTER.match(folded[end:])
        if after:  # "closed on Sundays": the opening hours are what is wrong
            hours_phrase = hours_phrase or (start, end + after.end())
            continue
        if temporary:
            continue
        return "closure", text[start:end]
    wrong = _WRONG_RE.search(folded)
    if hours_phrase is not None and (wrong is None or hours_phrase[0] <= wrong.start()):
        return "wrong_value", text[hours_phrase[0]:hours_phrase[1]]
    if wrong is not None:
        return "wrong_value", text[wrong.start():wrong.end()]
    return None, None
