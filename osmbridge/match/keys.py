"""Which OSM tags the matcher reads, so that a caller needing nothing else can copy only those."""

from __future__ import annotations

from collections.abc import Sequence

from osmbridge.match.agreement import PHONE_KEYS, attribute_keys
from osmbridge.match.kinds import PRIMARY_KEYS
from osmbridge.match.names import OSM_NAME_KEYS
from osmbridge.match.rules import MatchRules
from osmbridge.model import CityFeature

_ADDRESS_KEYS = ("addr:street", "addr:housenumber")


def osm_tag_keys(city: Sequence[CityFeature], rules: MatchRules = MatchRules()) -> frozenset[str]:
    """Return every OSM tag key `match_places` reads for these city features (decisions aside).

    Names, the keys of the types the features accept, their link refs, and the address, phone and
    mapped attributes when some feature carries them.
    """
    keys = set(OSM_NAME_KEYS)
    for feature in city:
        keys.update(key for key in rules.extra_ref_keys if key in feature.tags)
        if feature.match_tags:
            keys.update(key for key, _ in feature.match_tags)
        else:
            keys.update(key for key in PRIMARY_KEYS if key in feature.tags)
        if feature.ref_tag:
            keys.add(feature.ref_tag)
        keys.update(attribute_keys(feature.field_of_tag, feature.ref_tag))
        if "addr:street" in feature.tags:
            keys.update(_ADDRESS_KEYS)
        if any(key in feature.tags for key in PHONE_KEYS):
            keys.update(PHONE_KEYS)
    return frozenset(keys)
