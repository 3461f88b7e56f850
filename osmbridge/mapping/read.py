"""Reading a city dataset through its mapping: the records it covers are checked, the others only counted.

`osmbridge run`, `osmbridge match` and `osmbridge mappings check` all read this way, so they agree on
which records are bad, and none of them judges a record the mapping leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass

from osmbridge.errors import OsmbridgeError
from osmbridge.mapping.rules import TagMapping
from osmbridge.mapping.select import Selection, select_records
from osmbridge.model import CityPlace, SkippedRecord, SourceSpec
from osmbridge.sources.area import Bbox
from osmbridge.sources.read import place_records, read_source, refuse_unusable
from osmbridge.sources.records import RawSource


@dataclass(frozen=True, slots=True)
class MappedSource:
    """A source read through a mapping."""

    source: RawSource
    selection: Selection
    places: list[CityPlace]  # the covered records whose id and position are good
    unreadable: list[SkippedRecord]  # covered records with a bad id or position (with skip_invalid)

    @property
    def skipped(self) -> list[SkippedRecord]:
        """Every covered record left out: unreadable, then those whose category no rule covers."""
        return self.unreadable + self.selection.uncovered

    def require_usable(self, mapping: TagMapping) -> None:
        """Refuse to go on when the mapping covers no record, or no covered record can be read.

        Recording such a run as a sync would make every OSM place look "missing in the city" next time.
        """
        if not self.selection.mapped:
            where = mapping.path or mapping.name
            uncovered = self.selection.uncovered
            first = f" (first: {uncovered[0].origin}: {uncovered[0].problem})" if uncovered else ""
            raise OsmbridgeError(f"{self.source.name}: the mapping {where} covers none of the "
                                 f"{len(self.source.records)} records{first}; check it with `osmbridge mappings "
                                 f"check {where} --data FILE`")
        refuse_unusable(self.source.name, self.places, self.unreadable)


def read_mapped_places(spec: SourceSpec, mapping: TagMapping, *, dataset: str, licence: str,
                       skip_invalid: bool = False, bbox: Bbox | None = None) -> MappedSource:
    """Read a source, keep the records the mapping covers, and check only those (id, position).

    With `skip_invalid` False the first bad covered record raises BadRecord; with True, bad records
    come back in `unreadable`. `bbox` is the dataset's area when known (it tells [a, b] pairs apart).
    """
    source = read_source(spec)
    selection = select_records(mapping, source.records)
    places, unreadable = place_records(source, selection.mapped, spec, dataset=dataset,
                                       id_field=mapping.id_field, licence=licence, skip_invalid=skip_invalid,
                                       bbox=bbox)
    return MappedSource(source, selection, places, unreadable)
