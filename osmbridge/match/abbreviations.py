"""Name-normalisation tables per language: abbreviations and words that carry no identity.

Each abbreviation entry maps a canonical short token to the forms it stands for, all written
lower-case without accents or dots (the normaliser strips those first). Long forms are folded
onto the short token rather than the reverse: "St" is "Saint" in French and "Street" in English,
and folding both long words onto "st" is right whichever language a dataset is in.
"""

from __future__ import annotations

ABBREVIATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "st": ("saint",),
        "ste": ("sainte",),
        "bibl": ("bibliotheque", "bibli", "bib", "biblio"),
        "media": ("mediatheque", "mediath"),
        "ec": ("ecole",),
        "elem": ("elementaire", "elementaires"),
        "mat": ("maternelle", "maternelles"),
        "prim": ("primaire",),
        "clg": ("college",),
        "lyc": ("lycee",),
        "lp": ("lycee professionnel",),
        "gs": ("groupe scolaire",),
        "av": ("avenue",),
        "bd": ("boulevard", "bld", "boul", "bvd"),
        "pl": ("place",),
        "r": ("rue",),
        "che": ("chemin", "ch"),
        "imp": ("impasse",),
        "all": ("allee",),
        "sq": ("square",),
        "fg": ("faubourg", "fbg"),
        "dr": ("docteur",),
        "pr": ("professeur",),
        "gen": ("general", "gal", "gl"),
        "mal": ("marechal", "mar"),
        "pdt": ("president", "pres"),
        "cdt": ("commandant",),
        "cne": ("capitaine", "cap"),
        "ctr": ("centre", "ctre"),
        "pharm": ("pharmacie", "pharma", "phie"),
        "mjc": ("maison des jeunes et de la culture",),
        "ehpad": ("etablissement d hebergement pour personnes agees dependantes",),
    },
    "pl": {
        "ul": ("ulica",),
        "al": ("aleja", "alei", "aleje"),
        "pl": ("plac", "placu"),
        "os": ("osiedle",),
        "kmp": ("komenda miejska policji",),
        "kpp": ("komenda powiatowa policji",),
        "kwp": ("komenda wojewodzka policji",),
        "ksp": ("komenda stoleczna policji",),
        "krp": ("komenda rejonowa policji",),
        "kp": ("komisariat policji",),
        "pp": ("posterunek policji",),
        "kmpsp": ("komenda miejska panstwowej strazy pozarnej",),
        "kppsp": ("komenda powiatowa panstwowej strazy pozarnej",),
        "psp": ("panstwowa straz pozarna",),
        "osp": ("ochotnicza straz pozarna",),
        "sm": ("straz miejska",),
        "sp": ("szkola podstawowa",),
        "lo": ("liceum ogolnoksztalcace",),
        "zus": ("zaklad ubezpieczen spolecznych",),
        "sw": ("swietego", "swietej", "swietych"),
        "im": ("imienia",),
        "nr": ("numer",),
        "gen": ("generala",),
        "ks": ("ksiedza",),
        "pw": ("pod wezwaniem",),
    },
    "en": {
        "st": ("saint", "street"),
        "av": ("avenue", "ave"),
        "rd": ("road",),
        "dr": ("doctor", "drive"),
        "ln": ("lane",),
        "sq": ("square",),
        "mt": ("mount",),
        "ctr": ("center", "centre"),
        "lib": ("library",),
        "sch": ("school",),
        "univ": ("university",),
        "hosp": ("hospital",),
    },
    "de": {
        "str": ("strasse", "strase"),
        "st": ("sankt",),
        "pl": ("platz",),
        "dr": ("doktor",),
        "bhf": ("bahnhof",),
        "gs": ("grundschule",),
        "gymn": ("gymnasium",),
        "ev": ("evangelisch", "evangelische", "evangelischer"),
        "kath": ("katholisch", "katholische", "katholischer"),
    },
}

# Articles, and prepositions that only glue a name together; dropped before comparison.
STOPWORDS: dict[str, frozenset[str]] = {
    "fr": frozenset({"le", "la", "les", "l", "de", "du", "des", "d", "au", "aux", "et", "a", "en"}),
    "pl": frozenset({"w", "we", "z", "ze", "na", "przy", "oraz"}),
    "en": frozenset({"the", "of", "and", "at"}),
    "de": frozenset({"der", "die", "das", "des", "dem", "den", "und", "am", "im", "zum", "zur"}),
}

# Letters that Unicode decomposition leaves whole.
FOLDED_LETTERS: dict[str, str] = {
    "ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
    "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i",
}

# Word endings abbreviated inside compound words ("Hauptstraße" / "Hauptstr.").
SUFFIX_ABBREVIATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {"str": ("strasse",)},
}
