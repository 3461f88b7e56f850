"""mapping_for_tag: one category, every record, for `osmbridge match --tag`."""

from __future__ import annotations

import pytest

from mapping_places import make_place
from osmbridge.errors import ConfigError
from osmbridge.mapping import apply_mapping, check_mapping, mapping_for_tag
from osmbridge.model import TagFilter


def test_every_record_gets_the_tag() -> None:
    mapping = mapping_for_tag("amenity=library", id_field="id", name_field="nom", name="libs", match_distance_m=80)
    places = [make_place("1", nom="Bibliothèque A", anything="x"), make_place("2", nom=None)]
    features, skipped = apply_mapping(mapping, places)
    assert skipped == []
    assert [dict(f.tags) for f in features] == [{"amenity": "library", "name": "Bibliothèque A"},
                                                {"amenity": "library"}]
    assert {f.category for f in features} == {"amenity=library"}
    assert features[0].match_tags == (("amenity", "library"),) and features[0].match_distance_m == 80.0
    assert features[0].mapping == "libs" and features[0].ref_tag is None
    assert mapping.osm_filters() == [TagFilter("amenity", "library")]
    assert check_mapping(mapping, places).covered == {"amenity=library": 2}


def test_key_star_matches_any_value_and_proposes_no_type() -> None:
    mapping = mapping_for_tag("shop=*", id_field="id")
    features, _ = apply_mapping(mapping, [make_place("1", nom="X")])
    assert dict(features[0].tags) == {} and features[0].match_tags == (("shop", "*"),)
    assert mapping.osm_filters() == [TagFilter("shop", None)]


@pytest.mark.parametrize("tag", ["amenity", "amenity=", "=library", "a=b=c", "amenity library"])
def test_a_malformed_tag_is_a_config_error(tag: str) -> None:
    with pytest.raises(ConfigError, match="expected KEY=VALUE"):
        mapping_for_tag(tag, id_field="id")
