"""The demo town's places as they really are: categories, names, addresses, phones, websites, hours.

Each place is the ground truth; `records.py` then writes what the city and OSM each say about it,
with their own formatting habits and mistakes.
"""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass

from osmbridge.demo.town import Address, Town, distance_m
from osmbridge.errors import OsmbridgeError

WEBSITE_HOST = "www.bourg-sur-lune.example"  # .example is reserved: no real site is ever named
# ARCEP keeps 02 61 91 xx xx free for fiction: no real subscriber is ever called.
_PHONE_PREFIX = "026191"
MIN_SPACING_M = 80.0  # between two places, so a 40 m move still leaves each closest to its own


@dataclass(frozen=True, slots=True)
class Hours:
    """One weekly schedule written three ways that mean the same thing."""

    osm: str  # how OSM usually writes it
    variant: str  # another valid OSM syntax with the same meaning
    french: str  # how a city clerk writes it


HOURS = (
    Hours("Mo-Fr 09:00-17:00", "Mo,Tu,We,Th,Fr 09:00-17:00", "du lundi au vendredi de 9h à 17h"),
    Hours("Tu-Sa 10:00-18:00", "Tu-Sa 10:00-18:00; Su,Mo off", "du mardi au samedi de 10h à 18h"),
    Hours("Mo-Fr 08:30-12:00,13:30-17:30", "Mo-Fr 08:30-12:00, 13:30-17:30",
          "du lundi au vendredi de 8h30 à 12h et de 13h30 à 17h30"),
    Hours("Mo-Sa 07:00-21:00", "Mo-Sa 07:00-21:00; Su off", "du lundi au samedi de 7h à 21h"),
    Hours("We 14:00-18:00; Sa 10:00-12:00", "Sa 10:00-12:00; We 14:00-18:00",
          "le mercredi de 14h à 18h et le samedi de 10h à 12h"),
    Hours("Mo-Su 06:00-22:00", "06:00-22:00", "tous les jours de 6h à 22h"),
    Hours("Mo-Fr 08:00-19:00; Sa 09:00-12:30", "Mo-Fr 08:00-19:00; Sa 09:00-12:30; Su off",
          "du lundi au vendredi de 8h à 19h, le samedi de 9h à 12h30"),
    Hours("Tu,Th 14:00-19:00; We,Sa 10:00-18:00", "We,Sa 10:00-18:00; Tu,Th 14:00-19:00",
          "mardi et jeudi de 14h à 19h, mercredi et samedi de 10h à 18h"),
)


@dataclass(frozen=True, slots=True)
class Category:
    """A kind of city facility and how OSM tags it."""

    label: str  # the city's category value
    tags: tuple[tuple[str, str], ...]  # OSM tags, primary first
    weight: int  # share of the town's records
    prefix: str | None  # name prefix; None = the city gives no name (street furniture)
    phone: float = 0.0  # share of places with a phone number
    website: float = 0.0
    hours: float = 0.0
    footprint: bool = False  # may be mapped as an area in OSM
    mapped: bool = True  # False: the mapping skips it on purpose


CATEGORIES = (
    Category("Point d'apport volontaire", (("amenity", "recycling"), ("recycling_type", "container"),
                                           ("recycling:glass_bottles", "yes")), 22, None),
    Category("Composteur collectif", (("amenity", "recycling"), ("recycling_type", "container"),
                                      ("recycling:organic", "yes")), 15, None),
    Category("École élémentaire", (("amenity", "school"), ("school:FR", "élémentaire")), 9,
             "École élémentaire", phone=1.0, website=0.5, footprint=True),
    Category("École maternelle", (("amenity", "kindergarten"), ("school:FR", "maternelle")), 8,
             "École maternelle", phone=1.0, website=0.4, footprint=True),
    Category("Pharmacie", (("amenity", "pharmacy"), ("healthcare", "pharmacy")), 6, "Pharmacie",
             phone=1.0, website=0.4, hours=1.0),
    Category("Gymnase", (("leisure", "sports_hall"),), 5, "Gymnase", phone=0.6, website=0.3, hours=0.5,
             footprint=True),
    Category("Maison de quartier", (("amenity", "community_centre"),), 5, "Maison de quartier",
             phone=1.0, website=0.7, hours=0.9),
    Category("Toilettes publiques", (("amenity", "toilets"),), 5, None, mapped=False),
    Category("Bibliothèque", (("amenity", "library"),), 2, "Bibliothèque", phone=1.0, website=0.9, hours=1.0),
    Category("Médiathèque", (("amenity", "library"),), 2, "Médiathèque", phone=1.0, website=1.0, hours=1.0),
    Category("Mairie annexe", (("amenity", "townhall"), ("townhall:type", "annexe")), 2, "Mairie annexe",
             phone=1.0, website=1.0, hours=1.0),
    Category("Bureau de poste", (("amenity", "post_office"),), 2, "Bureau de poste", phone=0.5, website=0.5,
             hours=1.0),
    Category("Police municipale", (("amenity", "police"), ("police:FR", "police_municipale")), 1,
             "Police municipale", phone=1.0, website=0.5, hours=1.0),
    Category("Piscine", (("leisure", "sports_centre"), ("sport", "swimming")), 1, "Piscine",
             phone=1.0, website=1.0, hours=1.0, footprint=True),
)
CATEGORY_BY_LABEL = {category.label: category for category in CATEGORIES}
# OSM keys that say what a place is used for: a closure moves them under `disused:` (OSM wiki:
# Lifecycle prefix); sub-tags such as sport or recycling_type stay.
MAIN_KEYS = ("amenity", "shop", "leisure", "office", "tourism", "healthcare", "craft")


def closure_keys(category: Category) -> list[str]:
    """Return the keys of a category's tags that a closure moves under `disused:`."""
    return sorted(key for key, _ in category.tags if key in MAIN_KEYS)


def tag_category(category: Category) -> str:
    """Return the category a place of `category` can be given from its OSM tags alone.

    "unknown" when another category the mapping covers has exactly the same tags (a library may be
    the city's "Bibliothèque" or "Médiathèque").
    """
    alike = [c for c in CATEGORIES if c.mapped and c is not category and set(c.tags) == set(category.tags)]
    return "unknown" if alike else category.label

_PEOPLE = ("Jules Verne", "Louise Michel", "Jean Moulin", "Simone Veil", "Victor Hugo", "Marie Curie",
           "Jacques Prévert", "George Sand", "Aristide Briand", "Anne de Bretagne", "Paul Éluard",
           "Colette", "Jean Jaurès", "Olympe de Gouges", "Albert Camus", "Rosa Parks", "Émile Zola",
           "Jean de La Fontaine", "Françoise Dolto", "Antoine de Saint-Exupéry", "Camille Claudel",
           "Aimé Césaire", "Gisèle Halimi", "Lucie Aubrac", "Jules Ferry", "Pablo Neruda",
           "Nelson Mandela", "Joséphine Baker", "Charles Perrault", "Alexandre Dumas", "Hector Berlioz",
           "Frida Kahlo", "Marguerite Duras", "Boris Vian", "Édith Piaf", "Germaine Tillion",
           "Jean Rostand", "Marcel Pagnol", "Paul Langevin", "Irène Joliot-Curie", "Anatole France",
           "Condorcet", "Pierre Loti", "Sophie Germain", "Toussaint Louverture", "Alice Guy",
           "Maurice Ravel", "Clara Zetkin", "René Goscinny", "Agnès Varda")
_PLACE_WORDS = ("du Port", "de la Lune", "des Marais", "des Tilleuls", "du Centre", "des Mouettes",
                "Saint-Rémi", "de la Croix-Blanche", "de la Grève", "du Moulin", "des Hortensias",
                "de l'Église", "de la Gare", "du Marché")
_SURNAMES = ("Le Goff", "Guérin", "Le Bihan", "Morvan", "Tanguy", "Le Floch", "Bouvier", "Riou", "Kerbrat",
             "Cadiou", "Le Gall", "Jaouen", "Quéméner", "Perrin", "Lemoine", "Garnier", "Le Roux", "Daniel",
             "Hamon", "Bernard", "Fleury", "Gicquel", "Lucas", "Madec", "Nédélec", "Olivier", "Prigent",
             "Salaün", "Thomas", "Vallée")
# Which names each kind of facility is given: schools after people, pharmacies after their owner...
_NAME_POOLS = {"École élémentaire": _PEOPLE, "École maternelle": _PEOPLE, "École maternelle privée": _PEOPLE,
               "Bibliothèque": _PEOPLE, "Médiathèque": _PEOPLE, "Gymnase": _PLACE_WORDS + _PEOPLE,
               "Maison de quartier": _PLACE_WORDS + _PEOPLE, "Piscine": _PLACE_WORDS + _PEOPLE,
               "Pharmacie": _PLACE_WORDS + _SURNAMES}


@dataclass(frozen=True, slots=True)
class Place:
    """A real-world place of the town (positions in local metres)."""

    category: Category
    name: str | None
    address: Address
    position: tuple[float, float]
    phone: str | None  # national digits, "0261911234"
    website: str | None  # canonical https URL
    hours: Hours | None
    uai: str | None  # French school register id, schools only
    emplacement: str | None  # free-text location of street furniture


class NameBook:
    """Hands out place names that are unique across the town."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def name(self, prefix: str) -> str:
        """A new unique name starting with `prefix` (a person's name, else a place word)."""
        pool = _NAME_POOLS.get(prefix, _PLACE_WORDS)
        candidates = [f"{prefix} {word}" for word in pool]
        self._rng.shuffle(candidates)
        for candidate in candidates:
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate
        for number in range(2, 10_000):
            candidate = f"{prefix} {self._rng.choice(pool)} {number}"
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate
        raise AssertionError("name pool exhausted")


class PhoneBook:
    """Hands out unique fictional phone numbers."""

    def __init__(self, rng: random.Random) -> None:
        self._numbers = iter(rng.sample(range(10_000), 10_000))

    def number(self) -> str:
        """A new national-format number: ten digits, no spaces."""
        return f"{_PHONE_PREFIX}{next(self._numbers):04d}"


def slug(text: str) -> str:
    """A URL path part for a name: "École Jean Moulin" -> "ecole-jean-moulin"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text.lower()).split())


def website_for(name: str) -> str:
    """The canonical URL of a facility's page on the town's site."""
    return f"https://{WEBSITE_HOST}/equipements/{slug(name)}"


def category_counts(size: int) -> dict[str, int]:
    """How many city records of each category a town of `size` records has (at least one each)."""
    total = sum(category.weight for category in CATEGORIES)
    counts = {c.label: max(1, math.floor(size * c.weight / total)) for c in CATEGORIES}
    # Give what rounding left over to the biggest categories, so the counts add up to `size`.
    by_weight = sorted(CATEGORIES, key=lambda c: -c.weight)
    index = 0
    while sum(counts.values()) < size:
        counts[by_weight[index % len(by_weight)].label] += 1
        index += 1
    while sum(counts.values()) > size:
        label = by_weight[index % len(by_weight)].label
        if counts[label] > 1:
            counts[label] -= 1
        index += 1
    return counts


class PlaceFactory:
    """Creates places at free spots of the town, with unique names, numbers and addresses."""

    def __init__(self, rng: random.Random, town: Town) -> None:
        self.rng, self.town = rng, town
        self.names, self.phones = NameBook(rng), PhoneBook(rng)
        self._taken: dict[tuple[int, int], list[tuple[float, float]]] = {}  # grid cell -> positions
        self._count = 0
        self._uai = iter(rng.sample(range(1000), 1000))

    def free_address(self) -> Address:
        """A street address at least MIN_SPACING_M from every place made so far."""
        for _ in range(2000):
            address = self.town.random_address(self.rng)
            if self.is_free(address.position):
                self.reserve(address.position)
                return address
        raise OsmbridgeError(f"the demo town has no room left for another place; use a smaller --size "
                             f"(placed {self._count})")

    def is_free(self, position: tuple[float, float]) -> bool:
        """Whether no place made so far is closer than MIN_SPACING_M to `position`."""
        cx, cy = _cell(position)
        return all(distance_m(position, other) >= MIN_SPACING_M
                   for dx in (-1, 0, 1) for dy in (-1, 0, 1) for other in self._taken.get((cx + dx, cy + dy), ()))

    def reserve(self, position: tuple[float, float]) -> None:
        """Keep other places away from `position`."""
        self._taken.setdefault(_cell(position), []).append(position)
        self._count += 1

    def place(self, category: Category, name: str | None = None) -> Place:
        """A new place of `category` at a free address; `name` overrides the generated one."""
        rng = self.rng
        address = self.free_address()
        if category.prefix is not None and name is None:
            name = self.names.name(category.prefix)
        phone = self.phones.number() if rng.random() < category.phone else None
        website = website_for(name) if name and rng.random() < category.website else None
        hours = rng.choice(HOURS) if rng.random() < category.hours else None
        uai = None
        if category.label.startswith("École"):
            # UAI: department + four digits + a letter; 044 9xxx is kept clear of real schools here.
            uai = f"0449{next(self._uai):03d}" + rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
        emplacement = None
        if category.prefix is None:
            emplacement = rng.choice(("face au", "à côté du", "devant le")) + f" {address.number} {address.street}"
        return Place(category, name, address, address.position, phone, website, hours, uai, emplacement)


def _cell(position: tuple[float, float]) -> tuple[int, int]:
    return (int(position[0] // MIN_SPACING_M), int(position[1] // MIN_SPACING_M))


def make_places(rng: random.Random, factory: PlaceFactory, size: int) -> list[Place]:
    """The town's `size` city places, in a shuffled category order so ids do not cluster by kind."""
    labels = [label for label, count in category_counts(size).items() for _ in range(count)]
    rng.shuffle(labels)
    return [factory.place(CATEGORY_BY_LABEL[label]) for label in labels]
