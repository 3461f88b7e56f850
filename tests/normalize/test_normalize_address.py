"""Addresses cut into addr:* parts; street names written out and compared."""

from __future__ import annotations

import pytest

from osmbridge.normalize import AddressParts, clean_housenumber, normalize_street, same_street, split_address


@pytest.mark.parametrize(("raw", "expected"), [
    ("37B Rue des Plantes", AddressParts("37B", "Rue des Plantes")),
    ("37 bis Rue des Plantes", AddressParts("37 bis", "Rue des Plantes")),
    ("ul. Długa 12", AddressParts("12", "ul. Długa")),
    ("Podwale 31-33", AddressParts("31-33", "Podwale")),
    ("12 rue X, 44000 Nantes", AddressParts("12", "rue X", "44000", "Nantes")),
    ("12 rue X 44000 Nantes", AddressParts("12", "rue X", "44000", "Nantes")),
    ("Długa 12/14, 00-950 Warszawa", AddressParts("12/14", "Długa", "00-950", "Warszawa")),
    ("Bâtiment B, 12 rue X", AddressParts("12", "rue X")),
    ("Place Jean Macé", AddressParts(None, "Place Jean Macé")),
    ("35580 BAULON", AddressParts(None, None, "35580", "BAULON")),
    ("RD 209", AddressParts(None, "RD 209")),          # a road's reference, not a house number
    ("", AddressParts()),
])
def test_split_address(raw: str, expected: AddressParts) -> None:
    assert split_address(raw) == expected


def test_clean_housenumber() -> None:
    assert clean_housenumber("37 b") == "37B"
    assert clean_housenumber("12 BIS") == "12 bis"
    assert clean_housenumber(" 31 - 33 ") == "31-33"
    assert clean_housenumber("III-V") == "III-V"
    assert clean_housenumber("  ") is None


@pytest.mark.parametrize(("raw", "country", "expected"), [
    ("BD DES ANGLAIS", "FR", "Boulevard des Anglais"),
    ("Av. de la Gare", "FR", "Avenue de la Gare"),
    ("rue DE LA CROIX VERTE", "FR", "Rue de la Croix Verte"),
    ("Rue St Pierre", "FR", "Rue Saint Pierre"),
    ("Rue XIV Juillet", "FR", "Rue XIV Juillet"),
    ("ul. Chopina ", "PL", "Chopina"),
    ("al. Niepodległości", "PL", "Aleja Niepodległości"),
    ("ul. Boh. II Armii Woj. Polskiego", "PL", "Boh. II Armii Woj. Polskiego"),
    ("Gen.W.Sikorskiego", "PL", "Generała W. Sikorskiego"),
    ("Main St", None, "Main St"),
    ("   ", "FR", None),
])
def test_normalize_street(raw: str, country: str | None, expected: str | None) -> None:
    assert normalize_street(raw, country) == expected


@pytest.mark.parametrize(("a", "b"), [
    ("Bd des Anglais", "BOULEVARD DES ANGLAIS"),
    ("Rue Saint-Pierre", "rue st pierre"),
    ("Rue du Maréchal Joffre", "Rue Mal Joffre"),
    ("ul. Długa", "Długa"),
    ("ulica Długa", "DLUGA"),
    ("al. Niepodległości", "Aleja Niepodległości"),
    ("St Mary St", "Saint Mary Street"),
    ("Pl. du Commerce", "Place du Commerce"),
])
def test_same_street_ignores_case_accents_and_abbreviations(a: str, b: str) -> None:
    assert same_street(a, b)


@pytest.mark.parametrize(("a", "b"), [("Rue des Plantes", "Rue des Plates"), ("Rue Racine", "Avenue Racine"),
                                      ("", "")])
def test_same_street_tells_different_streets_apart(a: str, b: str) -> None:
    assert not same_street(a, b)
