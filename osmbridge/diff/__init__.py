"""Where a city dataset and OSM disagree, field by field, and which side changed since the last sync.

`diff_dataset` turns the matcher's output into `Difference` records:

- matched pairs are compared tag by tag on the keys the mapping maps (the city's tags and the keys
  it fills from city fields, minus the OSM-only ones; type tags included, so a type change
  shows): kinds "differs", "minor" (case, accents, punctuation, order, "12 B"/"12 bis"),
  "only_city", "only_osm". Values are compared by meaning through the comparator registry
  (`comparators.comparator_for`): phones as sets of E.164 numbers, URLs without scheme/www/
  trailing slash, opening hours by meaning (a city's free text converted where possible, else
  shown raw with a note), names and streets case- and accent-aware (a street or town written
  the short way, "Traugutta" / "Romualda Traugutta", "Gorzów Wlkp.", is "minor"), house
  numbers and postcodes by parts, counts as numbers, anything else exactly after trimming
  whitespace (Unicode NFC). An OSM value kept under an alias key (contact:phone for phone,
  url for website...) is compared too, and `field` is then the key OSM uses.
- "position": a matched pair further apart than half the mapping's match distance (at least
  5 m), measured geodesically to the OSM geometry (0 inside a polygon); see `pair.drift_threshold_m`.
- "lifecycle": the city marks the place closed while OSM still has it active; the proposal is
  the lifecycle prefix, never a deletion: its `osm_edit` removes the main keys that still say the
  place is active (the match tags, and amenity/shop/healthcare/... the category sets) and adds
  them under `disused:` (city_value/osm_value show both as "key=value" lines; `field` is None).
  A closed place yields no other difference, and a closed city-only place is not proposed for creation.
- "missing_in_osm" (city-only place, proposal "to_osm": create with the tags in its `osm_edit`;
  values unfit for OSM are left out and named in the note). A creation must not duplicate what
  OSM has (`creations.guard_creations`): an object of the same kind within the match distance, or
  an OSM object the reader could not place near it, makes it a "review" naming the candidates in
  osm_value; an unlinked object of the same kind, name and address anywhere turns it into a
  "position" disagreement with that object.
  "missing_in_city" (OSM-only place within `area`, proposal "to_city": a candidate for the city
  dataset), "ambiguous" and "duplicate" (proposal "review").

Three-way: with the tags stored at the last sync (`SyncBase`) a field difference says which side
changed, by the same comparator (a reformatted phone is not a change): city -> "to_osm",
OSM -> "to_city", both -> "conflict", neither -> "disagreement"; without a base for both sides,
changed_side is "unknown" (a note says why after the first sync) and the proposal "disagreement".
Place-level kinds use the base's places, links and positions (`history`): a place already missing
at the last sync is "none", one whose link was lost since names the side that lost it (proposal
"review"), a position drift names the side that moved. When history says nothing (neither
side changed, or no base), a tag the mapping makes the city the reference for
(`city_authoritative`, and the ref tag) proposes "to_osm" when the city has a value OSM lacks or
contradicts; never for an empty city field or a "minor" difference.

Ids: `difference_id` is the first 16 hex characters of the SHA-256 of the JSON list
[dataset, source_id, osm_key, field, kind, city value, osm value], the values being the
comparator's normalised keys (E.164 phones, URL keys, normalised opening hours; for positions
the coordinates rounded to 4 decimals, about 10 m; for missing places all their tags). The same
place, field and values give the same id on every run; any change of meaning gives a new id, so
a reviewer's decision stays attached to exactly what they saw.

Phone region: national numbers ("02 40 41 95 95") are read with `region` when given, else with
the pair's addr:country, else the country most of the dataset's addr:country tags and
international numbers point to, else the other side's international number.

Sync base: `next_sync_base` says what a run moves into the base of the next three-way diff: every
tag on a dataset's first sync, then, for matched pairs, only the tags without a field difference
(an alias key counts for its mapped tag) and the closed state without a lifecycle difference.

Output order: source_id (natural order, OSM-only places last), osm_key, field (place-level
kinds first), kind, id. The stage is pure: no files, network, clock or environment.

Several producers (`producers.route_differences`): each producer is compared with OSM as above,
then per place the producer holding a field speaks for it and the producers' contradictions become
"producers_disagree" differences routed to both (see `diff/producers.py`).
"""

from osmbridge.diff.dataset import diff_dataset
from osmbridge.diff.ids import difference_id
from osmbridge.diff.sync_base import next_sync_base

__all__ = ["diff_dataset", "difference_id", "next_sync_base"]
