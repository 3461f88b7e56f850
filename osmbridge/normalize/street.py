"""Street names: expand the usual French/Polish/English abbreviations for OSM, compare two names by meaning."""

from __future__ import annotations

import re

from osmbridge.normalize.text import clean_space, fold, is_shouted, title_case, title_shouted_words

# Abbreviations written out for OSM's addr:street, per country (keys without the dot, lower-case).
_EXPANSIONS: dict[str, dict[str, str]] = {
    "FR": {"bd": "Boulevard", "bld": "Boulevard", "boul": "Boulevard", "av": "Avenue", "ave": "Avenue",
           "pl": "Place", "r": "Rue", "rte": "Route", "chem": "Chemin", "ch": "Chemin", "imp": "Impasse",
           "all": "Allée", "sq": "Square", "fg": "Faubourg", "fbg": "Faubourg", "crs": "Cours", "prom": "Promenade",
           "st": "Saint", "ste": "Sainte", "mal": "Maréchal", "gal": "Général", "gén": "Général",
           "gen": "Général", "dr": "Docteur", "pdt": "Président", "prof": "Professeur", "cdt": "Commandant"},
    "PL": {"al": "Aleja", "pl": "Plac", "os": "Osiedle", "gen": "Generała", "ks": "Księdza",
           "św": "Świętego", "marsz": "Marszałka", "prof": "Profesora", "bp": "Biskupa", "kard": "Kardynała"},
    "GB": {"rd": "Road", "ave": "Avenue", "blvd": "Boulevard", "ln": "Lane", "sq": "Square", "pl": "Place"},
}
_EXPANSIONS["US"] = _EXPANSIONS["GB"]

# Comparison: every spelling of a word maps to one token; "st"/"dr" depend on their position.
_SAME_WORD = {
    "bd": "boulevard", "bld": "boulevard", "boul": "boulevard", "blvd": "boulevard",
    "av": "avenue", "ave": "avenue", "aleja": "avenue", "al": "avenue", "aleje": "avenue",
    "pl": "place", "plac": "place", "r": "rue", "rte": "route", "rd": "road", "ch": "chemin", "chem": "chemin",
    "imp": "impasse", "all": "allee", "sq": "square", "fg": "faubourg", "fbg": "faubourg", "crs": "cours",
    "prom": "promenade", "ste": "sainte", "mal": "marechal", "gal": "general", "gen": "general",
    "generala": "general", "pdt": "president", "prof": "professeur", "profesora": "professeur",
    "cdt": "commandant", "ln": "lane", "os": "osiedle", "ks": "ksiedza", "sw": "swietego",
    "marsz": "marszalka", "bp": "biskupa", "kard": "kardynala",
}
_IGNORED = {"de", "du", "des", "la", "le", "les", "l", "d", "of", "the"}
_POLISH_STREET_PREFIX = re.compile(r"^(?:ul\.?|ulica)\s+", re.IGNORECASE)


def normalize_street(raw: str, country: str | None = None) -> str | None:
    """Return a street name as OSM writes it: abbreviations expanded, shouting title-cased; None if empty.

    "BD DES ANGLAIS" -> "Boulevard des Anglais"; "ul. Chopina" -> "Chopina" in PL, where OSM leaves
    out "ulica"; "al. Niepodległości" -> "Aleja Niepodległości".
    """
    text = clean_space(raw).strip(" ,;")
    if not text:
        return None
    country = (country or "").upper()
    if country == "PL":
        text = _POLISH_STREET_PREFIX.sub("", text)
    if is_shouted(text):
        text = title_case(text)
    else:
        text = title_shouted_words(text)  # "rue DE LA CROIX VERTE" -> "rue de la Croix Verte"
    if country in {"FR", "BE", "CH"}:
        text = text[:1].upper() + text[1:]  # "rue Philippe" -> "Rue Philippe", as French OSM writes it
    expansions = _EXPANSIONS.get(country, {})
    if not expansions:
        return text
    words = re.split(r"(\s+)", re.sub(r"(?<=\.)(?=\w)", " ", text))
    out = []
    for index, word in enumerate(words):
        key = word.rstrip(".").lower()
        if key in expansions and not word.isspace() and index + 1 < len(words):
            out.append(expansions[key])
        else:
            out.append(word)
    return "".join(out)


def street_tokens(name: str) -> list[str]:
    """Return the comparison tokens of a street name (folded, abbreviations unified, small words dropped)."""
    words = re.split(r"[\s.,\-'’/()]+", fold(name))
    words = [w for w in words if w]
    if words and words[0] in {"ul", "ulica"}:
        words = words[1:]
    tokens = []
    for index, word in enumerate(words):
        last = index == len(words) - 1
        if word == "st":
            word = "street" if last and index > 0 else "saint"
        elif word == "dr":
            word = "drive" if last and index > 0 else "docteur"
        else:
            word = _SAME_WORD.get(word, word)
        if word not in _IGNORED:
            tokens.append(word)
    return tokens


def same_street(a: str, b: str) -> bool:
    """Return whether two street names are the same, ignoring case, accents and usual abbreviations.

    "Bd des Anglais" == "BOULEVARD DES ANGLAIS"; "ul. Długa" == "Długa"; "St Mary St" == "Saint Mary Street".
    """
    first, second = street_tokens(a), street_tokens(b)
    return bool(first) and first == second
