"""Name-normalisation tables per language: abbreviations and words that carry no identity.

Each language lists (long form, its abbreviations), lower-case, without accents or dots (the
normaliser strips those first). An abbreviation standing for one long form in every language is
expanded ("bibl" -> "bibliotheque", "kmp" -> "komenda miejska policji"); one standing for several
("st": saint, street, sankt) is kept, and those long forms are folded onto it instead, which is
right whichever language a dataset is in. Words cut short with a dot ("Bibli.", "Kom.") need no
entry: the similarity takes a word that begins another name's word as that word.
"""

from __future__ import annotations

ABBREVIATIONS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "fr": (
        ("saint", ("st",)),
        ("sainte", ("ste",)),
        ("bibliotheque", ("bibl", "bibli", "bib", "biblio")),
        ("mediatheque", ("mediath",)),
        ("ecole", ("ec",)),
        ("elementaire", ("elem",)),
        ("maternelle", ("mat",)),
        ("primaire", ("prim",)),
        ("college", ("clg", "coll")),
        ("lycee", ("lyc",)),
        ("lycee professionnel", ("lp",)),
        ("groupe scolaire", ("gs",)),
        ("avenue", ("av", "ave")),
        ("boulevard", ("bd", "bld", "boul", "bvd")),
        ("place", ("pl",)),
        ("rue", ("r",)),
        ("chemin", ("ch", "che")),
        ("impasse", ("imp",)),
        ("square", ("sq",)),
        ("faubourg", ("fg", "fbg")),
        ("docteur", ("dr",)),
        ("professeur", ("pr", "prof")),
        ("general", ("gal", "gen", "gl")),
        ("marechal", ("mal",)),
        ("president", ("pdt", "pres")),
        ("commandant", ("cdt",)),
        ("capitaine", ("cne", "cap")),
        ("centre", ("ctre", "ctr")),
        ("pharmacie", ("pharm", "phie")),
        ("maison des jeunes et de la culture", ("mjc",)),
    ),
    "pl": (
        ("ulica", ("ul",)),
        ("aleja", ("al",)),
        ("plac", ("pl",)),
        ("osiedle", ("os",)),
        ("komenda miejska policji", ("kmp",)),
        ("komenda powiatowa policji", ("kpp",)),
        ("komenda wojewodzka policji", ("kwp",)),
        ("komenda stoleczna policji", ("ksp",)),
        ("komenda rejonowa policji", ("krp",)),
        ("komisariat policji", ("kp",)),
        ("posterunek policji", ("pp",)),
        ("komenda miejska panstwowej strazy pozarnej", ("kmpsp",)),
        ("komenda powiatowa panstwowej strazy pozarnej", ("kppsp",)),
        ("panstwowa straz pozarna", ("psp",)),
        ("ochotnicza straz pozarna", ("osp",)),
        ("straz miejska", ("sm",)),
        ("straz", ("str",)),
        ("szkola podstawowa", ("sp",)),
        ("liceum ogolnoksztalcace", ("lo",)),
        ("zaklad ubezpieczen spolecznych", ("zus",)),
        ("swietego", ("sw",)),
        ("swietej", ("sw",)),
        ("imienia", ("im",)),
        ("numer", ("nr",)),
        ("generala", ("gen",)),
        ("ksiedza", ("ks",)),
        ("wydzial", ("wydz",)),
    ),
    "en": (
        ("saint", ("st",)),
        ("street", ("st",)),
        ("avenue", ("ave", "av")),
        ("road", ("rd",)),
        ("doctor", ("dr",)),
        ("drive", ("dr",)),
        ("lane", ("ln",)),
        ("square", ("sq",)),
        ("mount", ("mt",)),
        ("center", ("ctr",)),
        ("centre", ("ctr",)),
        ("library", ("lib",)),
        ("school", ("sch",)),
        ("university", ("univ",)),
        ("hospital", ("hosp",)),
        ("department", ("dept",)),
        ("government", ("govt",)),
    ),
    "de": (
        ("strasse", ("str",)),
        ("sankt", ("st",)),
        ("platz", ("pl",)),
        ("doktor", ("dr",)),
        ("bahnhof", ("bhf",)),
        ("grundschule", ("gs",)),
        ("gymnasium", ("gymn",)),
        ("evangelische", ("ev",)),
        ("katholische", ("kath",)),
    ),
    "fi": (
        ("kirjasto", ("kirj",)),
        ("yliopisto", ("yo",)),
        ("apteekki", ("apt",)),
        ("keskus", ("kesk",)),
    ),
}

# Articles, and prepositions that only glue a name together; dropped before comparison.
STOPWORDS: dict[str, frozenset[str]] = {
    "fr": frozenset({"le", "la", "les", "l", "de", "du", "des", "d", "au", "aux", "et", "a", "en"}),
    "pl": frozenset({"w", "we", "z", "ze", "na", "przy", "oraz"}),
    "en": frozenset({"the", "of", "and", "at"}),
    "de": frozenset({"der", "die", "das", "des", "dem", "den", "und", "am", "zum", "zur"}),
}

# Word endings abbreviated inside compound words ("Hauptstraße" / "Hauptstr.").
SUFFIX_ABBREVIATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "de": (("strasse", "str"),),
}

# Letters that Unicode decomposition leaves whole.
FOLDED_LETTERS: dict[str, str] = {
    "ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
    "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i",
}
