"""check_mapping and the text of `osmbridge mappings check`."""

from __future__ import annotations

from shared_data import TEST_DATA
from mapping_places import make_place
from osmbridge.mapping import check_mapping, format_check, load_mapping


def places():
    base = {"theme": "CULTURE", "nom": "X", "tel": "02 40 76 06 56", "cp": "44000", "adresse": "1 rue A"}
    rows = [("Médiathèque", "Bibliothèque")] * 3 + [("Monument", None)] * 2 + [("Planétarium", None)] * 4 \
        + [("Musée", "Château")] + [(None, None)]
    out = [make_place(str(i), **{**base, "categorie": c, "type": t}) for i, (c, t) in enumerate(rows)]
    out.append(make_place("99", **{**base, "theme": "SPORTS", "categorie": "Gymnase"}))
    out.append(make_place("98", **{**base, "categorie": "Médiathèque", "tel": "17"}))
    return out


def test_check_counts_covered_skipped_uncovered_and_filtered() -> None:
    check = check_mapping(load_mapping(TEST_DATA / "mapping" / "libraries.toml"), places())
    assert check.records == 13 and check.filtered_out == 1
    assert check.covered == {"Médiathèque / Bibliothèque": 3, "Médiathèque": 1}
    assert check.skipped == {"Monument": (2, "mapped by hand")}
    assert check.uncovered == {"Planétarium": 4, "Musée / Château": 1, "": 1}
    assert not check.ok
    assert check.unused == ["Salle"]
    # fields the records never have are problems: the mapping does not fit the data
    assert any("'tel2'" in p for p in check.problems) and any("'horaires'" in p for p in check.problems)
    assert any(p.startswith("mapping.id_field: field 'id' is in no record; the records have: adresse, categorie")
               for p in check.problems)
    assert any("field 'tel': 1 value(s) kept as written" in w and "'17'" in w for w in check.warnings)


def test_format_check_lists_uncovered_values_by_count() -> None:
    text = format_check(check_mapping(load_mapping(TEST_DATA / "mapping" / "libraries.toml"), places()))
    uncovered = text.split("Uncovered category values")[1].split("\n\n")[0].splitlines()[1:]
    assert [line.split(None, 1) for line in uncovered] == [["4", "'Planétarium'"], ["1", "(empty)"],
                                                           ["1", "'Musée / Château'"]]
    assert "Valeurs de catégorie non couvertes" in text
    assert "2  'Monument': mapped by hand" in text
    assert text.rstrip().endswith("NOT OK / À CORRIGER")


def test_a_mapping_that_fits_is_ok() -> None:
    mapping = load_mapping(TEST_DATA / "mapping" / "libraries.toml")
    base = {"id": "1", "theme": "CULTURE", "nom": "X", "tel": "02 40 76 06 56", "tel2": None, "web": None, "site": None,
            "adresse": "1 rue A", "cp": "44000", "horaires": None, "places": None, "statut": None, "jauge": None,
            "type": None}
    check = check_mapping(mapping, [make_place("1", **{**base, "categorie": "Médiathèque"}),
                                    make_place("2", **{**base, "categorie": "Monument"})])
    assert check.ok and check.problems == [] and check.uncovered == {}
    assert format_check(check).rstrip().endswith("OK")


def test_a_missing_weekday_column_is_a_problem() -> None:
    mapping = load_mapping(TEST_DATA / "mapping" / "zus-hours.toml")
    row = {"nazwa": "ZUS", "adres_1": "15-404 Białystok", "adres_2": "ul. Młynowa 29", "poniedzialek": "08.00-17.00",
           "wtorek": "08.00-15.00", "środa": "08.00-15.00", "czwartek": "08.00-15.00", "piatek": "08.00-15.00"}
    check = check_mapping(mapping, [make_place("1", **row)])
    assert len(check.problems) == 1 and "field 'sroda' is in no record" in check.problems[0]
    assert "środa" in check.problems[0]  # the columns the records do have are listed
