"""How each side writes the same value: the city's clerks and OSM's mappers have different habits."""

from __future__ import annotations

import random

from osmbridge.demo.places import Hours


def phone_text(digits: str, style: str) -> str:
    """A ten-digit national number written in one of the usual French ways."""
    pairs = [digits[i:i + 2] for i in range(0, 10, 2)]
    international = "+33 " + digits[1] + " " + " ".join(pairs[1:])
    return {
        "spaces": " ".join(pairs),
        "dots": ".".join(pairs),
        "compact": digits,
        "dashes": "-".join(pairs),
        "international": international,
        "international_compact": "+33" + digits[1:],
    }[style]


def city_phone(rng: random.Random, digits: str) -> str:
    """How the city's dataset writes a number: mostly spaced pairs, often dots, sometimes run together."""
    return phone_text(digits, rng.choice(("spaces", "spaces", "dots", "dots", "compact", "dashes", "international")))


def osm_phone(rng: random.Random, digits: str) -> str:
    """How OSM writes a number: the wiki's international form, sometimes the national one."""
    return phone_text(digits, rng.choice(("international",) * 6 + ("spaces", "international_compact")))


def city_website(rng: random.Random, url: str) -> str:
    """How the city writes a URL: with or without scheme, http or https, trailing slash or not."""
    bare = url.removeprefix("https://")
    return rng.choice((url, url, bare, bare, f"http://{bare}/", f"{url}/"))


def osm_website(rng: random.Random, url: str) -> str:
    """How OSM writes a URL: full https, occasionally with a trailing slash."""
    return rng.choice((url,) * 5 + (f"{url}/",))


def city_hours(rng: random.Random, hours: Hours) -> str:
    """How the city writes a schedule: OSM syntax usually, French prose in a good share of records."""
    return rng.choice((hours.osm, hours.osm, hours.osm, hours.french, hours.french, hours.variant))


def osm_hours(rng: random.Random, hours: Hours) -> str:
    """How OSM writes a schedule: the usual syntax, sometimes an equivalent spelling."""
    return rng.choice((hours.osm,) * 4 + (hours.variant,))
