"""Conflation engine: links city features to OSM places, explaining each link.

`match_places` runs, in order: sticky human decisions (honoured while both sides' fingerprints are
unchanged); the ref-tag join (the dataset's ref tag and well-known register keys, ';'-separated
values), whose pairs also teach the dataset's own short forms; same-side duplicates; spatial
candidates from per-type STRtrees in a local metric projection (edge distance, 0 inside polygons);
a log-odds score per pair from distance, name similarity (normalised, abbreviations per language,
words shortened as no table lists them, slips), type, address, phone and mapped attributes, and
the local density of places of the record's kind (a lone candidate loses less with distance; an
isolated one, where its kind is sparse, is not vetoed by its name alone); an optimal one-to-one
assignment over the whole candidate graph; and ambiguity checks (close alternatives, weak best
candidates; namesakes are no alternative) that send records to review instead of guessing. A
record with no candidate is offered the one place of its very name further out, for review.
Each explanation carries a code (`Match.note_codes`, match/notes.py).

`producers.link_producers` runs the same engine for a dataset with several producers: each producer
to OSM, each pair of producers to each other, then builds the places they share.
"""

from osmbridge.match.engine import match_places
from osmbridge.match.fingerprint import city_fingerprint, osm_fingerprint
from osmbridge.match.keys import osm_tag_keys
from osmbridge.match.names import name_similarity, normalize_name
from osmbridge.match.rules import MatchRules

__all__ = ["MatchRules", "match_places", "city_fingerprint", "osm_fingerprint", "name_similarity", "normalize_name",
           "osm_tag_keys"]
