"""Phone numbers as found in French and Polish open data."""

from __future__ import annotations

import pytest

from osmbridge.normalize import phones_to_osm, split_phones, to_e164


@pytest.mark.parametrize(("raw", "region", "expected"), [
    ("02 40 76 06 56", "FR", "+33240760656"),          # Nantes, spaces
    ("02.40.41.67.60", "FR", "+33240416760"),          # dots
    ("0299853802", "FR", "+33299853802"),              # annuaire de l'éducation
    ("+33 2 40 41 67 60", "FR", "+33240416760"),       # already international
    ("478 713 400", "PL", "+48478713400"),             # Polish police network, 9 digits
    (" 71\u00a0340 60 00 ", "PL", "+48713406000"),    # no-break space in the register
    ("+33 2 40 41 67 60", "PL", "+33240416760"),       # the region only reads national numbers
])
def test_to_e164_reads_national_formats(raw: str, region: str, expected: str) -> None:
    assert to_e164(raw, region) == expected


@pytest.mark.parametrize(("raw", "region"), [("17", "FR"), ("36 46", "FR"), ("nd", "PL"), ("", "FR"),
                                             ("22 60 758 60 81", "PL"), ("02 40", "FR")])
def test_to_e164_refuses_what_is_not_a_full_number(raw: str, region: str) -> None:
    assert to_e164(raw, region) is None


def test_split_phones_cuts_on_separators_and_words() -> None:
    assert split_phones("02 40 76 06 56 / 02 40 76 06 57", "FR") == ["02 40 76 06 56", "02 40 76 06 57"]
    assert split_phones("02 40 76 06 56 ou 02 51 11 03 44", "FR") == ["02 40 76 06 56", "02 51 11 03 44"]
    assert split_phones("71 340 60 00; 22 250 01 24", "PL") == ["71 340 60 00", "22 250 01 24"]
    assert split_phones("47 723 66 26 lub 47 723 71 55", "PL") == ["47 723 66 26", "47 723 71 55"]
    assert split_phones("", "FR") == []


def test_split_phones_keeps_one_number_written_with_slashes_whole() -> None:
    assert split_phones("02/40/76/06/56", "FR") == ["02/40/76/06/56"]
    assert to_e164("02/40/76/06/56", "FR") == "+33240760656"


def test_phones_to_osm_joins_with_semicolons_and_reports_invalid_pieces() -> None:
    assert phones_to_osm("02 40 76 06 56 ou 02.40.76.06.57", "FR") == ("+33240760656;+33240760657", [])
    assert phones_to_osm("02 40 76 06 56 / 02 40 76 06 56", "FR") == ("+33240760656", [])  # no duplicate
    assert phones_to_osm("02 40 76 06 56 / 17", "FR") == ("+33240760656", ["17"])


def test_phones_to_osm_reads_a_polish_run_of_lines_as_its_first_number() -> None:
    # "22 775 22 01 do 04": lines 01 to 04; the first one is the switchboard number
    assert phones_to_osm("22 775 22 01 do 04", "PL") == ("+48227752201", [])
