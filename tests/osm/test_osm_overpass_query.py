"""The Overpass QL osmbridge generates, checked by parsing it back with the emulator's parser."""

from __future__ import annotations

import pytest

from emulators.overpass import parse
from osmbridge.errors import OsmSourceError
from osmbridge.model import Area, TagFilter
from osmbridge.osm import build_overpass_query

SCHOOL = TagFilter("amenity", "school")


def union_filters(query: str) -> list:
    """The tag-filter callables of each statement of the query's union."""
    statements = parse(query).statements
    union = next(args for kind, args in statements if kind == "union")
    return [[f for f in args[1] if callable(f)] for kind, args in union[0]]


def test_query_for_a_relation_area() -> None:
    query = build_overpass_query([SCHOOL, TagFilter("ref:UAI")], Area(name="Paris", relation_id=7444))
    assert query.splitlines()[0] == "[out:json][timeout:180];"
    assert "area(id:3600007444)->.searchArea;" in query
    assert 'nwr["amenity"="school"](area.searchArea);' in query
    assert 'nwr["ref:UAI"](area.searchArea);' in query
    assert query.rstrip().endswith("out meta geom;")
    assert parse(query).settings == {"out": "json", "timeout": "180"}


def test_query_for_a_bbox_and_both() -> None:
    bbox = (48.87717, 2.3432, 48.88119, 2.3541)
    query = build_overpass_query([SCHOOL], Area(bbox=bbox), timeout_s=25, output="center")
    assert 'nwr["amenity"="school"](48.87717,2.3432,48.88119,2.3541);' in query
    assert "[timeout:25]" in query and "out meta center;" in query and "area(" not in query
    both = build_overpass_query([SCHOOL], Area(relation_id=1, bbox=bbox))
    assert '(area.searchArea)(48.87717,2.3432,48.88119,2.3541);' in both


@pytest.mark.parametrize("value", ['Lycée "Jean Jaurès"', "back\\slash", "a\nb", "tab\there", "[x]~=.*"])
def test_values_are_quoted_so_they_match_exactly(value: str) -> None:
    query = build_overpass_query([TagFilter("name", value)], Area(relation_id=1))
    (accepts,), = union_filters(query)
    assert accepts({"name": value})
    assert not accepts({"name": value + "x"}) and not accepts({"name": "x"})


def test_no_filter_fetches_every_tagged_element_and_subsumed_filters_go() -> None:
    (accepts,), = union_filters(build_overpass_query([], Area(relation_id=1)))
    assert accepts({"building": "yes"}) and not accepts({})
    statements = union_filters(build_overpass_query([SCHOOL, TagFilter("amenity"), SCHOOL], Area(relation_id=1)))
    assert len(statements) == 1
    assert statements[0][0]({"amenity": "library"})


def test_area_mistakes() -> None:
    with pytest.raises(OsmSourceError, match="neither"):
        build_overpass_query([SCHOOL], Area(name="Nowhere"))
    with pytest.raises(OsmSourceError, match="south < north"):
        build_overpass_query([SCHOOL], Area(name="Upside down", bbox=(48.9, 2.3, 48.8, 2.4)))
