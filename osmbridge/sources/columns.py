"""Finding columns by name: the id the config names, and the coordinate columns a dataset uses.

Detection is by meaning, not by the spelling of one city: names are compared without case, accents or
punctuation ("SZEROKOŚĆ GEOGRAFICZNA" -> "szerokosc geograficzna"), against words for latitude and
longitude in the languages of European open-data portals.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

# Letters NFKD does not split into base letter + accent.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

# Words that mean latitude / longitude on their own (en, fr, es, it, pt, de, pl, nl, fi, sv, da/no, cs).
LAT_WORDS = frozenset({"lat", "latitude", "latitud", "latitudine", "breite", "breitengrad", "szerokosc",
                       "breedtegraad", "leveysaste", "breddgrad", "breddegrad", "sirka", "wgs84lat"})
LON_WORDS = frozenset({"lon", "lng", "longitude", "longitud", "longitudine", "laenge", "lange", "laengengrad",
                       "langengrad", "dlugosc", "lengtegraad", "pituusaste", "langdgrad", "lengdegrad", "delka",
                       "wgs84lon"})
# Accepted only as the whole column name: as one word among others they often mean something else
# ("nom long" is a long name, "x" may be anything).
LAT_NAMES = frozenset({"y", "ycoord", "coordy", "coordonneey", "coordinatey", "pointy", "gpslat", "latwgs84"})
LON_NAMES = frozenset({"x", "xcoord", "coordx", "coordonneex", "coordinatex", "pointx", "long", "gpslon",
                       "gpslng", "lonwgs84", "lngwgs84"})
# Columns holding a whole geometry (WKT or GeoJSON), and columns holding one "lat, lon" point.
SHAPE_NAMES = ("geoshape", "geometry", "geometrie", "geom", "thegeom", "wkt", "geojson", "shape", "geometria")
POINT_NAMES = ("geopoint2d", "geopoint", "latlon", "latlng", "coordonnees", "coordinates", "coordenadas")


def normalise(name: str) -> str:
    """Return `name` lower-cased, without accents, punctuation as single spaces."""
    text = unicodedata.normalize("NFKD", name.lower().translate(_LETTERS))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _NON_ALNUM.sub(" ", text).strip()


def resolve_column(name: str, columns: Iterable[str]) -> str | None:
    """Return the column called `name`, or the only one equal to it ignoring case; None if absent."""
    columns = list(columns)
    if name in columns:
        return name
    folded = [column for column in columns if column.casefold() == name.casefold()]
    return folded[0] if len(folded) == 1 else None


def find_lat_lon(columns: Sequence[str]) -> tuple[str, str] | tuple[list[str], list[str]] | None:
    """Return the (lat, lon) columns; the candidate lists when ambiguous; None when there are none.

    Levels, first that finds both wins: the whole name is a latitude/longitude word ("lat",
    "Latitude"); a name containing such a word ("SZEROKOŚĆ GEOGRAFICZNA", "geo_latitude"); x/y names.
    """
    names = {column: normalise(column) for column in columns}
    levels = (
        (lambda n: n in LAT_WORDS, lambda n: n in LON_WORDS or n == "long"),
        (lambda n: bool(LAT_WORDS & set(n.split())), lambda n: bool(LON_WORDS & set(n.split()))),
        (lambda n: n.replace(" ", "") in LAT_NAMES, lambda n: n.replace(" ", "") in LON_NAMES),
    )
    for is_lat, is_lon in levels:
        lats = [column for column, n in names.items() if is_lat(n) and not is_lon(n)]
        lons = [column for column, n in names.items() if is_lon(n) and not is_lat(n)]
        if len(lats) == 1 and len(lons) == 1:
            return lats[0], lons[0]
        if lats and lons:
            return lats, lons
    return None


def find_named(columns: Sequence[str], wanted: Sequence[str]) -> list[str]:
    """Return the columns whose name, squashed, is one of `wanted`, in the order of `wanted`."""
    squashed = {column: normalise(column).replace(" ", "") for column in columns}
    return [column for name in wanted for column, s in squashed.items() if s == name]
