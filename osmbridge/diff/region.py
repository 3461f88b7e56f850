"""Which country's numbering plan national phone numbers (no +country prefix) belong to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import phonenumbers

from osmbridge.diff.comparators import comparator_for
from osmbridge.model import CityFeature, OsmPlace
from osmbridge.normalize.phone import to_e164


def infer_region(city: Sequence[CityFeature], osm: Sequence[OsmPlace]) -> str | None:
    """Return the ISO 3166 region most of the dataset points to, or None when nothing says.

    Votes: each `addr:country` tag, and the country of each international (+...) phone number,
    on both sides. A dataset covers one city, so the majority is its country; ties go to the
    alphabetically first region so that the result does not depend on input order.
    """
    votes: Counter[str] = Counter()
    for tags in [f.tags for f in city] + [p.tags for p in osm]:
        votes.update(_regions_in(tags))
    if not votes:
        return None
    return min(votes, key=lambda region: (-votes[region], region))


def pair_region(city_tags: Mapping[str, str], osm_tags: Mapping[str, str], default: str | None) -> str | None:
    """Return the region for one pair: its own addr:country, else the dataset's region."""
    return _country(city_tags) or _country(osm_tags) or default


def _country(tags: Mapping[str, str]) -> str | None:
    """Return the tags' addr:country when it is an ISO 3166 alpha-2 code ("FR", "pl")."""
    country = (tags.get("addr:country") or "").strip().upper()
    return country if len(country) == 2 and country.isalpha() else None


def _regions_in(tags: Mapping[str, str]) -> list[str]:
    country = _country(tags)
    regions = [country] if country else []
    for key, value in tags.items():
        if comparator_for(key).name != "phone":
            continue
        for piece in value.split(";"):
            if not piece.strip().startswith("+"):
                continue
            e164 = to_e164(piece, "ZZ")  # international numbers only
            if e164:
                region = phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
                if region and region != "ZZ":
                    regions.append(region)
    return regions
