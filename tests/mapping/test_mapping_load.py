"""Loading mapping files: every mistake is a ConfigError naming the file and key and saying what is expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared_data import TEST_DATA
from osmbridge.errors import ConfigError
from osmbridge.mapping import load_mapping
from osmbridge.model import TagFilter

HEAD = """
[mapping]
name = "t"
id_field = "id"
category_field = "cat"
country = "FR"
"""
CATEGORY = """
[[category]]
values = ["A"]
tags = { amenity = "library" }
"""
BAD_TRANSFORM = '\n[[field]]\nfield = "tel"\ntag = "phone"\ntransform = "telephone"\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> ConfigError:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_mapping(path)
    assert str(path) in str(caught.value)
    return caught.value


def test_hand_made_mapping_loads() -> None:
    mapping = load_mapping(TEST_DATA / "mapping" / "libraries.toml")
    assert (mapping.name, mapping.id_field, mapping.name_field) == ("test-culture", "id", "nom")
    assert mapping.category_fields == ("categorie", "type") and mapping.category_field == "categorie"
    assert (mapping.ref_tag, mapping.country, mapping.match_distance_m) == ("ref:test", "FR", 40.0)
    assert len(mapping.fields) == 8 and len(mapping.categories) == 4 and len(mapping.skips) == 1
    # city_authoritative defaults to what the city supplies: mapped fields, name, ref tag
    assert mapping.city_authoritative == {"phone", "website", "addr:housenumber", "addr:street", "addr:postcode",
                                          "opening_hours", "capacity", "name", "ref:test"}
    assert mapping.osm_only == {"wheelchair"}
    assert mapping.fields[2].fields == ("web", "site")
    assert mapping.fields[7].factor == 2.0


def test_osm_filters_is_the_union_of_match_tags_with_key_only_filters_absorbing_values() -> None:
    mapping = load_mapping(TEST_DATA / "mapping" / "libraries.toml")
    # amenity=* (the "Salle" category) already fetches libraries, cinemas and theatres
    assert mapping.osm_filters() == [TagFilter("amenity", None)]


def test_osm_filters_lists_each_type_once(tmp_path: Path) -> None:
    mapping = load_mapping(write(tmp_path, HEAD + CATEGORY + """
[[category]]
values = ["B"]
tags = { amenity = "cinema" }
match_tags = ["amenity=cinema", "amenity=library", "leisure=*"]
"""))
    assert mapping.osm_filters() == [TagFilter("amenity", "library"), TagFilter("amenity", "cinema"),
                                     TagFilter("leisure", None)]


@pytest.mark.parametrize(("text", "key", "expected"), [
    (HEAD + CATEGORY + "\n[extra]\nx = 1\n", "(top level).extra", "unknown key"),
    (HEAD.replace("id_field", "id_feild") + CATEGORY, "mapping.id_feild", "expected one of"),
    (HEAD + CATEGORY + '\n[[field]]\nfield = "tel"\ntag = "phone"\ntransfrom = "phone"\n', "field[1].transfrom",
     "unknown key"),
    (HEAD + CATEGORY.replace("values", "valeurs"), "category[1].valeurs", "unknown key"),
    (HEAD + CATEGORY + '\n[[skip]]\nvalues = ["B"]\nwhy = "x"\n', "skip[1].why", "unknown key"),
])
def test_unknown_keys_are_refused(tmp_path: Path, text: str, key: str, expected: str) -> None:
    error = load_error(tmp_path, text)
    assert error.key == key and expected in error.problem


@pytest.mark.parametrize(("text", "key", "expected"), [
    (HEAD.replace('id_field = "id"', "id_field = 3") + CATEGORY, "mapping.id_field", "expected a non-empty string"),
    (HEAD + "match_distance_m = \"50\"\n" + CATEGORY, "mapping.match_distance_m", "expected a positive number"),
    (HEAD + "match_distance_m = -5\n" + CATEGORY, "mapping.match_distance_m", "expected a positive number"),
    (HEAD + "city_authoritative = [1, 2]\n" + CATEGORY, "mapping.city_authoritative", "expected a list of strings"),
    (HEAD + CATEGORY.replace('tags = { amenity = "library" }', 'tags = ["amenity=library"]'), "category[1].tags",
     "expected a table of OSM tags"),
    (HEAD + CATEGORY.replace('"library"', "3"), "category[1].tags.amenity", "non-empty string value"),
    (HEAD + CATEGORY + "match_distance_m = \"far\"\n", "category[1].match_distance_m", "positive number"),
    (HEAD + "\n[[mapping.filter]]\nfield = \"x\"\nvalues = [\"a\"]\nexclude = \"yes\"\n" + CATEGORY,
     "mapping.filter[1].exclude", "expected true or false"),
])
def test_wrong_types_are_refused(tmp_path: Path, text: str, key: str, expected: str) -> None:
    error = load_error(tmp_path, text)
    assert error.key == key and expected in error.problem


def test_country_must_be_a_two_letter_code(tmp_path: Path) -> None:
    error = load_error(tmp_path, HEAD.replace('country = "FR"', 'country = "France"') + CATEGORY)
    assert error.key == "mapping.country" and "two-letter" in error.problem


def test_a_value_both_mapped_and_skipped_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, HEAD + CATEGORY + '\n[[skip]]\nvalues = ["A"]\nreason = "no"\n')
    assert error.key == "skip[1].values"
    assert "both mapped and skipped" in error.problem and "category[1]" in error.problem


def test_a_value_mapped_twice_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, HEAD + CATEGORY + CATEGORY.replace("library", "cinema"))
    assert error.key == "category[2].values" and "'A' is mapped in category[1]" in error.problem


def test_the_same_value_under_different_conditions_is_allowed(tmp_path: Path) -> None:
    mapping = load_mapping(write(tmp_path, HEAD + CATEGORY.replace("values", 'when = { size = "big" }\nvalues')
                                 + CATEGORY.replace("library", "cinema")))
    assert len(mapping.categories) == 2


def test_a_value_listed_twice_in_one_list_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, HEAD + CATEGORY.replace('["A"]', '["A", "B", "A"]'))
    assert error.key == "category[1].values" and "listed twice" in error.problem


@pytest.mark.parametrize(("table", "key"), [
    ('\n[[category]]\nregex = "^Bib(("\ntags = { amenity = "library" }\n', "category[1].regex"),
    ('\n[[mapping.filter]]\nfield = "x"\nregex = "[a-"\n', "mapping.filter[1].regex"),
])
def test_a_bad_regex_is_refused(tmp_path: Path, table: str, key: str) -> None:
    text = HEAD + table + ("" if "category" in table else CATEGORY)
    error = load_error(tmp_path, text)
    assert error.key == key and "not a valid regular expression" in error.problem


def test_an_unknown_transform_is_refused_with_the_list_of_known_ones(tmp_path: Path) -> None:
    error = load_error(tmp_path, HEAD + CATEGORY + BAD_TRANSFORM)
    assert error.key == "field[1].transform"
    assert "unknown transform 'telephone'" in error.problem and "phone" in error.problem


def test_phone_transform_needs_a_country(tmp_path: Path) -> None:
    error = load_error(tmp_path, HEAD.replace('country = "FR"\n', "") + CATEGORY
                       + '\n[[field]]\nfield = "tel"\ntag = "phone"\ntransform = "phone"\n')
    assert error.key == "field[1].transform" and "country" in error.problem


@pytest.mark.parametrize(("extra", "key", "expected"), [
    ('\n[[field]]\nfield = "n"\ntag = "capacity"\ntransform = "text"\nfactor = 2\n', "field[1].factor", "int"),
    ('\n[[field]]\nfield = "n"\ntag = "capacity"\non_error = "ignore"\n', "field[1].on_error", "keep"),
    ('\n[[field]]\nfield = "n"\ntag = "dog"\ntransform = "map"\n', "field[1].map", "needs a table"),
    ('\n[[field]]\ntag = "dog"\n', "field[1].field", "missing"),
    ('\n[[field]]\nfield = "n"\ntag = "bad key"\n', "field[1].tag", "not an OSM key"),
])
def test_field_rule_mistakes(tmp_path: Path, extra: str, key: str, expected: str) -> None:
    error = load_error(tmp_path, HEAD + CATEGORY + extra)
    assert error.key == key and expected in error.problem


def test_match_tags_must_be_key_equals_value(tmp_path: Path) -> None:
    error = load_error(tmp_path, HEAD + CATEGORY + 'match_tags = ["amenity"]\n')
    assert error.key == "category[1].match_tags" and "key=value" in error.problem


def test_a_tag_cannot_be_both_city_authoritative_and_osm_only(tmp_path: Path) -> None:
    error = load_error(tmp_path, HEAD + 'city_authoritative = ["phone"]\nosm_only = ["phone"]\n' + CATEGORY)
    assert error.key == "mapping.osm_only" and "'phone'" in error.problem


def test_category_values_need_a_category_field(tmp_path: Path) -> None:
    error = load_error(tmp_path, HEAD.replace('category_field = "cat"\n', "") + CATEGORY)
    assert error.key == "category[1].values" and "category_field" in error.problem


def test_a_mapping_without_category_field_has_one_catch_all_category(tmp_path: Path) -> None:
    mapping = load_mapping(write(tmp_path, HEAD.replace('category_field = "cat"\n', "")
                                 + '\n[[category]]\ntags = { amenity = "police" }\n'))
    assert mapping.categories[0].selector.catch_all and mapping.category_fields == ()


def test_skip_needs_a_reason(tmp_path: Path) -> None:
    error = load_error(tmp_path, HEAD + CATEGORY + '\n[[skip]]\nvalues = ["B"]\n')
    assert error.key == "skip[1].reason" and "missing" in error.problem


def test_filter_needs_exactly_one_of_values_or_regex(tmp_path: Path) -> None:
    error = load_error(tmp_path, HEAD + '\n[[mapping.filter]]\nfield = "x"\nvalues = ["a"]\nregex = "a"\n' + CATEGORY)
    assert error.key == "mapping.filter[1]" and "exactly one" in error.problem


def test_missing_mapping_table_and_missing_categories(tmp_path: Path) -> None:
    assert load_error(tmp_path, CATEGORY).key == "mapping"
    error = load_error(tmp_path, HEAD)
    assert error.key == "category" and "at least one" in error.problem
    error = load_error(tmp_path, HEAD.replace('id_field = "id"\n', "") + CATEGORY)
    assert error.key == "mapping.id_field" and "missing" in error.problem


def test_unreadable_files(tmp_path: Path) -> None:
    error = load_error(tmp_path, HEAD + "name = \n")
    assert error.key is None and "not valid TOML" in error.problem
    with pytest.raises(ConfigError, match="mapping file not found"):
        load_mapping(tmp_path / "nope.toml")


def test_the_message_says_file_key_and_what_is_expected(tmp_path: Path) -> None:
    error = load_error(tmp_path, HEAD + CATEGORY + BAD_TRANSFORM)
    assert str(error).startswith(f"{tmp_path / 'm.toml'}: key 'field[1].transform': unknown transform")


@pytest.mark.parametrize(("extra", "key", "expected"), [
    ('\n[[field]]\ntag = "opening_hours"\ntransform = "weekday_hours"\nfield = "h"\n', "field[1].days", "takes `days`"),
    ('\n[[field]]\ntag = "opening_hours"\ndays = { Mo = "lundi" }\n', "field[1].days", "takes `days`"),
    ('\n[[field]]\ntag = "opening_hours"\ntransform = "weekday_hours"\ndays = { Mon = "lundi" }\n',
     "field[1].days.Mon", "expected an OSM day"),
    ('\n[[field]]\ntag = "opening_hours"\ntransform = "weekday_hours"\nfield = "h"\ndays = { Mo = "lundi" }\n',
     "field[1].field", "remove `field`"),
])
def test_weekday_hours_needs_a_days_table(tmp_path: Path, extra: str, key: str, expected: str) -> None:
    error = load_error(tmp_path, HEAD + CATEGORY + extra)
    assert error.key == key and expected in error.problem


def test_complete_defaults_to_true_and_must_be_a_boolean(tmp_path: Path) -> None:
    text = ('[mapping]\nname = "t"\nid_field = "id"\n{extra}\n[[category]]\ntags = {{ amenity = "library" }}\n')
    path = tmp_path / "m.toml"
    path.write_text(text.format(extra=""), encoding="utf-8")
    assert load_mapping(path).complete is True
    path.write_text(text.format(extra="complete = false"), encoding="utf-8")
    assert load_mapping(path).complete is False
    path.write_text(text.format(extra='complete = "no"'), encoding="utf-8")
    with pytest.raises(ConfigError, match="mapping.complete"):
        load_mapping(path)
