"""read_mapped_places: only the records a mapping covers are checked; the others are counted, never judged."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_data import ROOT, require_shared

from osmbridge.errors import BadRecord, OsmbridgeError
from osmbridge.mapping import load_mapping, read_mapped_places
from osmbridge.model import SourceSpec

MAPPING = """
[mapping]
name = "police"
id_field = "id"
name_field = "name"
category_field = "kind"
[[mapping.filter]]
field = "site"
regex = "(?i)policja"
[[category]]
values = ["KMP", "KPP"]
tags = { amenity = "police" }
[[skip]]
values = ["Posterunek"]
reason = "local stations are mapped by hand"
"""

# Line 3: a fire-service office (outside the filter) with the register's broken latitude.
# Line 5: a police station in a [[skip]] category, with no position at all.
# Line 6: a police unit whose category no rule covers, with a latitude out of range.
REGISTER = """id;name;kind;site;lat;lon
1;KMP w Gdańsku;KMP;https://pomorska.policja.gov.pl;54.3520;18.6466
2;KP PSP w Raciborzu;PSP;https://www.gov.pl/web/kppsp-raciborz;50.0539,04;18.1307,93
3;KPP w Kutnie;KPP;http://www.kutno.policja.gov.pl;52.2305;19.3644
4;Posterunek Policji w Lubiczu;Posterunek;https://www.torun.policja.gov.pl;;
5;Komisariat Policji;KP;https://www.kutno.policja.gov.pl;95.1;19.3
"""


def write(tmp_path: Path, register: str = REGISTER) -> tuple[Path, Path]:
    (tmp_path / "police.toml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "register.csv").write_text(register, encoding="utf-8")
    return tmp_path / "police.toml", tmp_path / "register.csv"


def read(mapping: Path, data: Path, skip_invalid: bool = False):
    return read_mapped_places(SourceSpec("csv", str(data)), load_mapping(mapping), dataset="police",
                              licence="CC0-1.0", skip_invalid=skip_invalid)


def test_records_outside_the_filter_or_skipped_are_never_checked(tmp_path: Path) -> None:
    city = read(*write(tmp_path))
    assert [p.source_id for p in city.places] == ["1", "3"]
    assert city.unreadable == []
    assert (city.selection.filtered_out, city.selection.skipped_on_purpose) == (1, 1)
    # The uncovered record is listed for its category, not for its latitude.
    [uncovered] = city.skipped
    assert (uncovered.origin, uncovered.field) == (f"{tmp_path / 'register.csv'}:6", "kind")
    assert uncovered.problem.startswith("category 'KP' is not covered by mapping")


def test_a_covered_record_is_still_checked_naming_file_line_and_field(tmp_path: Path) -> None:
    mapping, data = write(tmp_path, REGISTER + "6;KPP w Kole;KPP;https://kolo.policja.gov.pl;52.2005,12;18.6362\n")
    with pytest.raises(BadRecord) as raised:
        read(mapping, data)
    assert str(raised.value).startswith(f"{data}:7: field 'lat': latitude '52.2005,12' is not a number.")
    city = read(mapping, data, skip_invalid=True)
    assert [(s.origin, s.field) for s in city.unreadable] == [(f"{data}:7", "lat")]


def test_a_row_of_the_wrong_width_is_checked_whatever_its_fields_say(tmp_path: Path) -> None:
    """Its values sit under the wrong names, so the filter cannot be trusted to leave it out."""
    mapping, data = write(tmp_path, REGISTER + "7;KP PSP;PSP;https://www.gov.pl/web/kppsp;50.1;18.2;extra\n")
    city = read(mapping, data, skip_invalid=True)
    [bad] = city.unreadable
    assert bad.origin == f"{data}:7" and bad.problem.startswith("has 7 fields where the header has 6")


def test_a_mapping_that_covers_nothing_is_refused(tmp_path: Path) -> None:
    mapping, data = write(tmp_path, REGISTER.replace("policja", "example"))
    city = read(mapping, data)
    assert city.places == [] and city.selection.filtered_out == 5
    with pytest.raises(OsmbridgeError, match=r"register.csv: the mapping .*police.toml covers none of the 5 records"):
        city.require_usable(load_mapping(mapping))


def test_the_polish_register_reads_without_skip_invalid() -> None:
    """Its two broken latitudes ("50.0539,04") are fire-service rows, outside the police mapping's filter."""
    register = require_shared("poland-offices/policja/gov.csv")
    city = read(ROOT / "mappings" / "poland-policja.toml", register)
    assert len(city.places) == 341 and city.unreadable == [] and city.skipped == []
    assert city.selection.filtered_out == 1932 - 341
    assert f"{register}:1373" not in {p.origin for p in city.places}
