"""Value normalizers shared by mappings, the matcher and the diff: phones, URLs, hours, addresses."""

from osmbridge.normalize.address import AddressParts, clean_housenumber, split_address
from osmbridge.normalize.hours import HoursValue, parse_opening_hours, same_opening_hours
from osmbridge.normalize.phone import phones_to_osm, split_phones, to_e164
from osmbridge.normalize.street import normalize_street, same_street
from osmbridge.normalize.text import fold, title_case
from osmbridge.normalize.url import normalize_email, normalize_url, url_key

__all__ = [
    "AddressParts", "HoursValue", "clean_housenumber", "fold", "normalize_email", "normalize_street",
    "normalize_url", "parse_opening_hours", "phones_to_osm", "same_opening_hours", "same_street",
    "split_address", "split_phones", "title_case", "to_e164", "url_key",
]
