"""A one-category mapping built from the command line (`osmbridge match --tag amenity=library`)."""

from __future__ import annotations

import re

from osmbridge.errors import ConfigError
from osmbridge.mapping.rules import CategoryRule, TagMapping, ValueSelector

_TAG = re.compile(r"^(?P<key>[^\s=]+)=(?P<value>[^=]+)$")


def mapping_for_tag(tag: str, *, id_field: str, name_field: str | None = None, name: str = "adhoc",
                    match_distance_m: float = 50.0) -> TagMapping:
    """Return a mapping giving every record the OSM tag `tag` ("amenity=library"; "shop=*" matches any shop).

    With "key=*" the records get no type tag (only name), and any OSM value of the key is a candidate.
    """
    match = _TAG.match(tag.strip())
    if not match:
        raise ConfigError("--tag", "tag", f"expected KEY=VALUE such as amenity=library (or KEY=*), got {tag!r}")
    key, value = match.group("key"), match.group("value").strip()
    if match_distance_m <= 0:
        raise ConfigError("--max-distance", "match_distance_m", f"expected a positive distance, got {match_distance_m}")
    tags = {} if value == "*" else {key: value}
    category = CategoryRule(ValueSelector(catch_all=True), tags, ((key, value),), label=f"{key}={value}")
    return TagMapping(
        name=name, path=None, id_field=id_field, name_field=name_field, category_field=None, ref_tag=None,
        country=None, match_distance_m=float(match_distance_m),
        city_authoritative=frozenset({"name"} if name_field else ()), osm_only=frozenset(),
        description=f"every record is {key}={value}", categories=(category,),
    )
