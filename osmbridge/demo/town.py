"""The demo town's geography: where it sits, its streets, neighbourhoods and street addresses.

Bourg-sur-Lune is fictional. Its centre is put over real countryside in western France so that
map backgrounds look plausible; nothing in it describes what is really there. Geometry is built
in metres on a local plane around the centre and turned into WGS84 degrees at the edges; at the
scale of a town the equirectangular approximation is well under a metre off.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from shapely import voronoi_polygons
from shapely.geometry import MultiPoint, Point, Polygon, box
import itertools

TOWN_NAME = "Bourg-sur-Lune"
POSTCODE = "44999"
CENTRE_LAT = 47.3600
CENTRE_LON = -1.9500
_M_PER_DEG_LAT = 111_320.0
_M_PER_DEG_LON = _M_PER_DEG_LAT * math.cos(math.radians(CENTRE_LAT))
_STREET_SPACING_M = 450.0
_SETBACK_M = 14.0  # buildings stand back from the street's centre line

NEIGHBOURHOOD_NAMES = ("Centre-Bourg", "Les Marais", "La Lune Haute", "Saint-Rémi", "Le Port",
                       "Les Tilleuls", "La Croix-Blanche", "Les Mouettes")

# (name, highway=*) for east-west streets, then north-south ones; cycled when the town is bigger.
_EAST_WEST = (("Rue des Tilleuls", "residential"), ("Avenue de la Lune", "secondary"),
              ("Rue du Port", "tertiary"), ("Boulevard Jules Verne", "secondary"),
              ("Rue Anne de Bretagne", "residential"), ("Quai des Marais", "tertiary"),
              ("Rue de la Mairie", "residential"), ("Allée des Mouettes", "residential"),
              ("Rue de la Croix-Blanche", "residential"), ("Chemin des Lavandières", "unclassified"))
_NORTH_SOUTH = (("Rue Victor Hugo", "residential"), ("Avenue du Général de Gaulle", "secondary"),
                ("Rue Saint-Rémi", "tertiary"), ("Rue de l'Église", "residential"),
                ("Rue Simone Veil", "residential"), ("Impasse des Hortensias", "residential"),
                ("Route de la Grève", "tertiary"), ("Rue des Écoles", "residential"),
                ("Rue Jean Jaurès", "residential"), ("Chemin du Moulin", "unclassified"))


def to_lonlat(x_m: float, y_m: float) -> tuple[float, float]:
    """WGS84 (lon, lat) of a point given in metres east and north of the town centre, rounded to 7 places."""
    return (round(CENTRE_LON + x_m / _M_PER_DEG_LON, 7), round(CENTRE_LAT + y_m / _M_PER_DEG_LAT, 7))


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Metres between two local-plane points."""
    return math.hypot(a[0] - b[0], a[1] - b[1])


def offset(point: tuple[float, float], dist_m: float, bearing_rad: float) -> tuple[float, float]:
    """The local-plane point `dist_m` away from `point` in direction `bearing_rad`."""
    return (point[0] + dist_m * math.cos(bearing_rad), point[1] + dist_m * math.sin(bearing_rad))


@dataclass(frozen=True, slots=True)
class Street:
    """A street: its name, OSM highway class and centre line in local metres."""

    name: str
    highway: str
    line: tuple[tuple[float, float], ...]
    length_m: float

    def point_at(self, along_m: float, side: int) -> tuple[float, float]:
        """The building position `along_m` down the street, set back on the left (+1) or right (-1)."""
        for (x0, y0), (x1, y1) in zip(self.line, self.line[1:], strict=False):
            segment = math.hypot(x1 - x0, y1 - y0)
            if along_m <= segment or (x1, y1) == self.line[-1]:
                t = min(along_m / segment, 1.0)
                dx, dy = (x1 - x0) / segment, (y1 - y0) / segment
                x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                return (x - side * _SETBACK_M * dy, y + side * _SETBACK_M * dx)
            along_m -= segment
        raise AssertionError("unreachable: the last segment always returns")

    @staticmethod
    def along(name: str, highway: str, line: tuple[tuple[float, float], ...]) -> Street:
        """A street following `line`, its length measured once."""
        length = sum(math.hypot(x1 - x0, y1 - y0) for (x0, y0), (x1, y1) in itertools.pairwise(line))
        return Street(name, highway, line, length)


@dataclass(frozen=True, slots=True)
class Address:
    """A street address and the building position it stands for (local metres)."""

    street: str
    number: int
    position: tuple[float, float]


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """A neighbourhood: code, name and outline in local metres."""

    code: str
    name: str
    outline: Polygon


@dataclass(frozen=True, slots=True)
class Town:
    """The fictional town: streets, neighbourhoods and its extent (local metres)."""

    name: str
    half_width_m: float
    half_height_m: float
    streets: tuple[Street, ...]
    neighbourhoods: tuple[Neighbourhood, ...]

    def bbox(self, margin_m: float = 300.0) -> tuple[float, float, float, float]:
        """(south, west, north, east) in degrees, around the whole town plus a margin."""
        west, south = to_lonlat(-self.half_width_m - margin_m, -self.half_height_m - margin_m)
        east, north = to_lonlat(self.half_width_m + margin_m, self.half_height_m + margin_m)
        return (south, west, north, east)

    def neighbourhood_of(self, position: tuple[float, float]) -> Neighbourhood:
        """The neighbourhood containing a position (the nearest one for a point on an edge)."""
        point = Point(position)
        return min(self.neighbourhoods, key=lambda hood: hood.outline.distance(point))

    def random_address(self, rng: random.Random) -> Address:
        """A random street address, numbered like a French street (odd left, even right, rising)."""
        street = rng.choice(self.streets)
        along = rng.uniform(40.0, street.length_m - 40.0)
        side = rng.choice((1, -1))
        # French numbering: odd numbers on one side, even on the other, rising from the start.
        number = 2 * int(along // 12) + (1 if side == 1 else 2)
        return Address(street.name, number, street.point_at(along, side))


def build_town(rng: random.Random, size: int) -> Town:
    """The town's streets and neighbourhoods, scaled so that `size` places fit comfortably."""
    per_direction = max(5, round(8 * math.sqrt(size / 300)))
    half_width = _STREET_SPACING_M * (per_direction - 1) / 2 + 250.0
    half_height = half_width * 0.8
    streets: list[Street] = []
    for index in range(per_direction):
        name, highway = _EAST_WEST[index % len(_EAST_WEST)]
        if index >= len(_EAST_WEST):
            name = f"{name} prolongée"
        y = -half_height + 200.0 + index * (2 * half_height - 400.0) / (per_direction - 1)
        streets.append(Street.along(name, highway, _wavy_line(rng, (-half_width, y), (half_width, y))))
    for index in range(per_direction):
        name, highway = _NORTH_SOUTH[index % len(_NORTH_SOUTH)]
        if index >= len(_NORTH_SOUTH):
            name = f"{name} prolongée"
        x = -half_width + 250.0 + index * (2 * half_width - 500.0) / (per_direction - 1)
        streets.append(Street.along(name, highway, _wavy_line(rng, (x, -half_height), (x, half_height))))
    return Town(TOWN_NAME, half_width, half_height, tuple(streets),
                _neighbourhoods(rng, half_width, half_height))


def _wavy_line(rng: random.Random, start: tuple[float, float],
               end: tuple[float, float]) -> tuple[tuple[float, float], ...]:
    """A street centre line from start to end, gently bending, with a vertex every ~100 m."""
    length = distance_m(start, end)
    steps = max(2, int(length // 100))
    amplitude, phase = rng.uniform(10.0, 40.0), rng.uniform(0, math.tau)
    nx, ny = -(end[1] - start[1]) / length, (end[0] - start[0]) / length
    points = []
    for step in range(steps + 1):
        t = step / steps
        bend = amplitude * math.sin(phase + t * math.pi * 2)
        points.append((round(start[0] + t * (end[0] - start[0]) + bend * nx, 2),
                       round(start[1] + t * (end[1] - start[1]) + bend * ny, 2)))
    return tuple(points)


def _neighbourhoods(rng: random.Random, half_width: float, half_height: float) -> tuple[Neighbourhood, ...]:
    """Neighbourhoods as Voronoi cells of a few seeds, clipped to the town's extent (so they cover every place)."""
    outline = box(-half_width - 80.0, -half_height - 80.0, half_width + 80.0, half_height + 80.0)
    seeds = [(0.0, 0.0)]  # the centre is always one neighbourhood
    count = min(len(NEIGHBOURHOOD_NAMES), 6)
    for index in range(count - 1):
        angle = index * math.tau / (count - 1) + rng.uniform(-0.3, 0.3)
        seeds.append((0.6 * half_width * math.cos(angle), 0.6 * half_height * math.sin(angle)))
    cells = voronoi_polygons(MultiPoint(seeds), extend_to=outline.buffer(half_width))
    hoods = []
    for index, seed in enumerate(seeds):
        cell = next(cell for cell in cells.geoms if cell.contains(Point(seed)))
        clipped = cell.intersection(outline)
        # Round once so neighbours share byte-identical vertices in the written file.
        assert isinstance(clipped, Polygon)  # a Voronoi cell cut by the convex outline
        clipped = Polygon([(round(x, 1), round(y, 1)) for x, y in clipped.exterior.coords])
        hoods.append(Neighbourhood(f"Q{index + 1:02d}", NEIGHBOURHOOD_NAMES[index], clipped))
    return tuple(hoods)
