"""Web addresses and e-mail addresses from city data."""

from __future__ import annotations

import pytest

from osmbridge.normalize import normalize_email, normalize_url, url_key


@pytest.mark.parametrize(("raw", "expected"), [
    ("www.bm.nantes.fr", "https://www.bm.nantes.fr"),                          # Nantes: no scheme
    ("mediatheque.basse-goulaine.fr", "https://mediatheque.basse-goulaine.fr"),
    ("http://www.saintsebastien.fr/", "http://www.saintsebastien.fr"),          # scheme kept, lone "/" dropped
    ("www.nantes.fr/mairie/services/", "https://www.nantes.fr/mairie/services/"),  # path kept as written
    ("HTTPS://WWW.Nantes.FR:443/Page#top", "https://www.nantes.fr/Page"),      # host case, default port, fragment
    ("http://example.org:8080/x?a=1", "http://example.org:8080/x?a=1"),
    ("www.lodzka.policja.gov.pl,", "https://www.lodzka.policja.gov.pl"),        # trailing comma in the register
    ("https://żółw.pl", "https://xn--w-uga1v8h.pl"),                             # IDNA host
])
def test_normalize_url_gives_a_clean_absolute_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize("raw", ["http", "N/A", "aucun", "", "ftp://files.example.org", "nantes", "nantes.f", "a b.fr",
                                 "https://user:pw@example.org"])
def test_normalize_url_refuses_non_web_addresses(raw: str) -> None:
    assert normalize_url(raw) is None


def test_url_key_ignores_scheme_www_trailing_slash_and_host_case() -> None:
    assert url_key("http://www.Nantes.fr/") == url_key("https://nantes.fr") == "nantes.fr"
    assert url_key("www.nantes.fr/le-planetarium/") == url_key("https://nantes.fr/le-planetarium")
    assert url_key("https://nantes.fr/A") != url_key("https://nantes.fr/a")  # paths are case-sensitive
    assert url_key("https://nantes.fr/?q=1") != url_key("https://nantes.fr/?q=2")


def test_normalize_email() -> None:
    assert normalize_email(" kontaktkwp@wr.policja.gov.pl ") == "kontaktkwp@wr.policja.gov.pl"
    assert normalize_email("mailto:Ecole.0350122T@AC-Rennes.fr") == "Ecole.0350122T@ac-rennes.fr"
    assert normalize_email("komendant") is None
    assert normalize_email("olicja.gov.pl") is None
    assert normalize_email("a@b@c.fr") is None
