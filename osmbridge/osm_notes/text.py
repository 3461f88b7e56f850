"""The text of a note osmbridge opens for a needs-survey item, in French and/or English (pure).

Written for a mapper passing by: which place, what the city's data and OSM say, the question to
answer on the ground, links to the OSM object and the city record, and how to answer. Only the item's
data goes in (never a reviewer's reason, which may be internal). The last line, "#osmbridge", marks
osmbridge's own notes so that a later run never takes one for a report of a problem.
"""

from __future__ import annotations

from collections.abc import Sequence

from osmbridge.model import Difference

MARKER = "#osmbridge"
MAX_NOTE_TEXT = 2000  # the OSM API's limit on a note's text
_VALUE_CHARS = 160
_OSM_URL = "https://www.openstreetmap.org"
_TYPES = {"n": "node", "w": "way", "r": "relation"}

# Tag keys a mapper reads as words.
_FIELDS = {
    "name": ("the name", "le nom"), "opening_hours": ("the opening hours", "les horaires d'ouverture"),
    "phone": ("the phone number", "le numéro de téléphone"), "contact:phone": ("the phone number",
                                                                             "le numéro de téléphone"),
    "website": ("the website", "le site web"), "contact:website": ("the website", "le site web"),
    "email": ("the e-mail address", "l'adresse e-mail"), "contact:email": ("the e-mail address", "l'adresse e-mail"),
    "addr:street": ("the street", "la rue"), "addr:housenumber": ("the house number", "le numéro dans la rue"),
    "addr:postcode": ("the postcode", "le code postal"), "addr:city": ("the town", "la commune"),
    "wheelchair": ("wheelchair access", "l'accès en fauteuil roulant"),
    "operator": ("who runs it", "le gestionnaire"),
}
_WORDS = {
    "en": {
        "ask": "{title}: could someone check on the ground?",
        "place": "Place: {place}",
        "field": "The city's open data and OpenStreetMap disagree on {what}.",
        "lifecycle": "The city's open data says this place is closed; OpenStreetMap still shows it. Is it still here?",
        "position": "The city's open data and OpenStreetMap place it {distance} m apart. Where is it exactly?",
        "missing_in_osm": "This place is in the city's open data but not in OpenStreetMap. Is it here?",
        "missing_in_city": "This place is in OpenStreetMap but not in the city's open data. Does it still exist?",
        "match": "Several OpenStreetMap objects could be this place ({keys}). Which one is it?",
        "other": "The city's open data and OpenStreetMap disagree about this place.",
        "city": "City data: {value}",
        "osm": "OpenStreetMap: {value}",
        "empty": "(nothing)",
        "links": "Links: {links}",
        "answer": "Please answer here, or fix the map and resolve this note. Thank you!",
    },
    "fr": {
        "ask": "{title} : quelqu'un peut-il vérifier sur place ?",
        "place": "Lieu : {place}",
        "field": "Les données ouvertes de la ville et OpenStreetMap ne sont pas d'accord sur {what}.",
        "lifecycle": "Les données ouvertes de la ville indiquent ce lieu fermé ; OpenStreetMap le montre encore. "
                     "Est-il toujours là ?",
        "position": "Les données ouvertes de la ville et OpenStreetMap le placent à {distance} m l'un de l'autre. "
                    "Où est-il exactement ?",
        "missing_in_osm": "Ce lieu est dans les données ouvertes de la ville mais pas dans OpenStreetMap. Est-il ici ?",
        "missing_in_city": "Ce lieu est dans OpenStreetMap mais pas dans les données ouvertes de la ville. Existe-t-il "
                           "encore ?",
        "match": "Plusieurs objets OpenStreetMap pourraient être ce lieu ({keys}). Lequel est-ce ?",
        "other": "Les données ouvertes de la ville et OpenStreetMap ne sont pas d'accord sur ce lieu.",
        "city": "Données de la ville : {value}",
        "osm": "OpenStreetMap : {value}",
        "empty": "(rien)",
        "links": "Liens : {links}",
        "answer": "Merci de répondre ici, ou de corriger la carte puis de résoudre cette note. Merci !",
    },
}
_FIELD_KINDS = ("differs", "minor", "only_city", "only_osm")


def survey_note_text(difference: Difference, languages: Sequence[str], *, title: str,
                     city_url: str | None = None) -> str:
    """Return the note asking for a survey of `difference`, one block per language, under the API's limit."""
    key = difference.osm_key
    links = [f"{_OSM_URL}/{_TYPES[key[0]]}/{key[1:]}"] if key and key[0] in _TYPES and key[1:].isdigit() else []
    links += [city_url] if city_url else []
    for value_chars in (_VALUE_CHARS, 60, 20):
        blocks = [_block(difference, lang, title, links, value_chars) for lang in languages]
        text = "\n\n".join(blocks + [MARKER])
        if len(text) <= MAX_NOTE_TEXT:
            return text
    return text[:MAX_NOTE_TEXT - len(MARKER) - 2] + "\n\n" + MARKER


def _block(difference: Difference, lang: str, title: str, links: list[str], value_chars: int) -> str:
    words = _WORDS[lang]
    place = difference.name or difference.source_id or difference.osm_key or ""
    if difference.category:
        place += f" ({difference.category})"
    lines = [words["ask"].format(title=title), words["place"].format(place=place), _question(difference, lang)]
    if difference.kind in _FIELD_KINDS or difference.kind == "lifecycle":
        lines.append(words["city"].format(value=_value(difference.city_value, words["empty"], value_chars)))
        lines.append(words["osm"].format(value=_value(difference.osm_value, words["empty"], value_chars)))
    if links:
        lines.append(words["links"].format(links=" ".join(links)))
    lines.append(words["answer"])
    return "\n".join(lines)


def _question(difference: Difference, lang: str) -> str:
    words = _WORDS[lang]
    kind = difference.kind
    if kind in _FIELD_KINDS:
        field = difference.field or ""
        known = _FIELDS.get(field)
        what = known[lang == "fr"] if known else (f"the tag {field}" if lang == "en" else f"l'attribut {field}")
        return words["field"].format(what=what)
    if kind == "position" and difference.distance_m is not None:
        return words["position"].format(distance=f"{difference.distance_m:.0f}")
    if kind in ("ambiguous", "duplicate"):
        listed = difference.osm_value or difference.city_value or ""
        keys = ", ".join(v.strip() for v in listed.split(",") if v.strip())
        return words["match"].format(keys=keys or "?")
    if kind in ("lifecycle", "missing_in_osm", "missing_in_city"):
        return words[kind]
    return words["other"]


def _value(value: str | None, empty: str, limit: int) -> str:
    if value is None or not value.strip():
        return empty
    text = "; ".join(line.strip() for line in value.splitlines() if line.strip())
    return text if len(text) <= limit else text[:limit - 1] + "…"
