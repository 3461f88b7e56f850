"""Name variants a city list shows against OSM: typos, abbreviations, dropped accents, case, dropped words.

Every function takes the random generator it draws from, so a seeded caller gets the same variant
every time.
"""

from __future__ import annotations

import random
import re
import unicodedata

# Letters a typist hits instead of the intended one (QWERTY/AZERTY neighbours, lower case).
_NEIGHBOURS = {
    "a": "qszw", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wrsdz", "f": "drtgvc", "g": "ftyhbv",
    "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kopm", "m": "njkl", "n": "bhjm",
    "o": "iklp", "p": "olm", "q": "wa", "r": "edft", "s": "awedxz", "t": "rfgy", "u": "yhji",
    "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}

# Letters NFKD does not decompose but people still type without their diacritic.
_UNDECOMPOSABLE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                                 "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE"})

# Abbreviations city clerks write, by language; matched case-insensitively on whole words.
ABBREVIATIONS: dict[str, dict[str, str]] = {
    "fr": {"saint": "St", "sainte": "Ste", "école": "Éc.", "élémentaire": "élém.", "maternelle": "mat.",
           "collège": "Coll.", "lycée": "Lyc.", "bibliothèque": "Bibl.", "médiathèque": "Médiath.",
           "pharmacie": "Pharm.", "centre": "Ctre", "rue": "R.", "avenue": "Av.", "boulevard": "Bd",
           "polyvalente": "polyv.", "privée": "priv.", "publique": "publ.", "municipal": "mun.",
           "municipale": "mun.", "hôpital": "Hôp.", "docteur": "Dr", "professionnel": "pro."},
    "fi": {"kirjasto": "kirj.", "yliopisto": "yo", "koulu": "k.", "keskus": "kesk.", "apteekki": "apt.",
           "ministeriö": "min.", "kaupungin": "kaup.", "helsingin": "Hgin", "suomen": "Suom."},
    "pl": {"komenda": "Kom.", "powiatowa": "Pow.", "miejska": "Miej.", "wojewódzka": "Woj.",
           "policji": "Pol.", "komisariat": "KP", "posterunek": "PP", "rejonowa": "Rej.",
           "wydział": "Wydz.", "stołeczna": "Stoł.", "państwowa": "Państw.", "straż": "Str."},
    "en": {"saint": "St", "street": "St", "avenue": "Ave", "centre": "Ctr", "center": "Ctr",
           "library": "Lib.", "school": "Sch.", "department": "Dept", "government": "Govt"},
}

_WORD = re.compile(r"\w+", re.UNICODE)


def add_typo(name: str, rng: random.Random) -> str:
    """Return `name` with one keyboard slip: a neighbour letter, a lost, doubled or swapped letter."""
    # Typos land inside words, rarely on the first letter, which people check.
    positions = [i for i, ch in enumerate(name) if ch.isalpha() and i > 0 and name[i - 1].isalpha()]
    if not positions:
        return name
    i = rng.choice(positions)
    ch = name[i]
    op = rng.choice(("substitute", "delete", "double", "transpose"))
    if op == "substitute":
        pool = _NEIGHBOURS.get(ch.lower(), "e")
        new = rng.choice(pool)
        return name[:i] + (new.upper() if ch.isupper() else new) + name[i + 1:]
    if op == "delete":
        return name[:i] + name[i + 1:]
    if op == "double":
        return name[:i] + ch + name[i:]
    if i + 1 < len(name) and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + ch + name[i + 2:]
    return name[:i - 1] + ch + name[i - 1] + name[i + 1:]


def abbreviate(name: str, language: str, rng: random.Random) -> str:
    """Return `name` with known words abbreviated, else its longest word cut to 4 letters and a dot."""
    table = ABBREVIATIONS.get(language, {}) | ABBREVIATIONS["en"]
    words = [m for m in _WORD.finditer(name) if m.group().lower() in table]
    if words:
        # Clerks abbreviate some words, not always all of them.
        chosen = [m for m in words if rng.random() < 0.7] or [rng.choice(words)]
        out, last = [], 0
        for m in chosen:
            out.append(name[last:m.start()])
            out.append(table[m.group().lower()])
            last = m.end()
        out.append(name[last:])
        return "".join(out).replace("..", ".")
    long_words = [m for m in _WORD.finditer(name) if len(m.group()) >= 7 and not m.group().isdigit()]
    if not long_words:
        return name
    m = max(long_words, key=lambda w: (len(w.group()), -w.start()))
    return name[:m.start()] + m.group()[:4] + "." + name[m.end():]


def drop_accents(name: str) -> str:
    """Return `name` without diacritics (é -> e, ł -> l), as in ASCII-only exports."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def drop_word(name: str, rng: random.Random) -> str:
    """Return `name` without its first or last word (a dropped generic or qualifying word)."""
    words = name.split()
    if len(words) < 3:
        return name
    return " ".join(words[1:] if rng.random() < 0.5 else words[:-1])


_VOWELS = set("aeiouyàâäéèêëîïôöûüåæøœ")


def shorten(name: str, rng: random.Random) -> str:
    """Return `name` with one word shortened as no table has it: cut with a dot ("Sportpl."), cut to its
    consonants ("Mkt"), or a run of two or three capitalised words replaced by their initials ("KPP").

    The last word, which usually tells the place apart ("... Chaptal"), stays whole in names of several words.
    """
    words = list(_WORD.finditer(name))
    shortable = words[:-1] if len(words) > 1 else words
    runs = [(i, size) for size in (3, 2) for i in range(len(shortable) - size + 1)
            if all(w.group()[:1].isupper() and len(w.group()) >= 3 for w in shortable[i:i + size])]
    long_words = [m for m in shortable if len(m.group()) >= 7 and m.group().isalpha()]
    way = rng.choice(("cut", "consonants", "initials"))
    if way == "initials" and runs:
        start, size = rng.choice(runs)
        first, last = words[start], words[start + size - 1]
        initials = "".join(w.group()[0].upper() for w in words[start:start + size])
        return name[:first.start()] + initials + name[last.end():]
    if not long_words:
        return name
    m = rng.choice(long_words)
    word = m.group()
    if way == "consonants":
        inner = "".join(ch for ch in word[1:-1] if ch.lower() not in _VOWELS)
        short = word[0] + inner[:3] + word[-1]
    else:
        short = word[: rng.randint(3, max(3, min(6, len(word) // 2)))] + "."
    return name[:m.start()] + short + name[m.end():]


def add_two_typos(name: str, rng: random.Random) -> str:
    """Return `name` with two keyboard slips in one of its words of five letters or more."""
    words = [m for m in _WORD.finditer(name) if len(m.group()) >= 5 and m.group().isalpha()]
    if not words:
        return name
    m = rng.choice(words)
    word = add_typo(add_typo(m.group(), rng), rng)
    return name[:m.start()] + word + name[m.end():]
