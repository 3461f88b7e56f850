"""config.toml's producers: `[datasets.X.producers.NAME]`, the city-side sources of one dataset.

A dataset names either one `[source]` and `mapping` (one producer, as before) or several producers,
each with its own source, mapping, owner, contact, licence and trust. Read by `config.load_config`
with its key-naming reader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osmbridge.model import Producer, SourceSpec

if TYPE_CHECKING:
    from osmbridge.config import _Reader

# Keys of [datasets.X.producers.NAME], each documented in docs/configuration.md.
PRODUCER_KEYS = {"title", "owner", "contact", "licence", "trust", "holds", "mapping", "source", "city_url_template",
                 "updated_field"}
# A producer's name prefixes its records' ids ("sante:DAE-12") and filters review items: keep it plain.
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
DEFAULT_TRUST = 50


@dataclass(frozen=True, slots=True)
class ProducerConfig:
    """One producer of a dataset: who it is, and where and how its records are read."""

    producer: Producer
    source: SourceSpec
    mapping: Path
    updated_field: str | None = None  # a record column holding its last update (the data's own date)

    @property
    def name(self) -> str:
        return self.producer.name


def read_producers(reader: _Reader, raw: Mapping[str, Any], where: str, licence: str | None,
                   city_url_template: str | None) -> tuple[ProducerConfig, ...]:
    """Return a dataset's producers, the most trusted first (then by name); ConfigError naming the key.

    `licence` and `city_url_template` are the dataset's, the defaults of its producers.
    """
    producers = []
    for name, table in raw.items():
        key = f"{where}.{name}"
        if not _NAME.match(name):
            raise reader.fail(key, "a producer's name is lower-case letters, digits, '-' or '_' (up to 40), "
                                   "e.g. [datasets.X.producers.sports-department]")
        if not isinstance(table, dict):
            raise reader.fail(key, "expected a table")
        producers.append(_producer(reader, name, table, key, licence, city_url_template))
    if not producers:
        raise reader.fail(where, "name at least one producer ([datasets.X.producers.NAME]), or remove the table "
                                 "and give the dataset a [source] and a mapping")
    producers.sort(key=lambda p: (-p.producer.trust, p.name))
    holder: dict[str, str] = {}
    for found in producers:
        for tag in sorted(found.producer.holds):
            if tag in holder:
                raise reader.fail(f"{where}.{found.name}.holds", f"{tag!r} is already held by producer "
                                                                 f"{holder[tag]!r}: one producer holds a field")
            holder[tag] = found.name
    return tuple(producers)


def _producer(reader: _Reader, name: str, raw: Mapping[str, Any], where: str, licence: str | None,
              city_url_template: str | None) -> ProducerConfig:
    reader.only_keys(raw, where, PRODUCER_KEYS)
    trust = raw.get("trust", DEFAULT_TRUST)
    if isinstance(trust, bool) or not isinstance(trust, int) or not 0 <= trust <= 100:
        raise reader.fail(f"{where}.trust", "expected a whole number from 0 (least trusted) to 100 (most)")
    holds = raw.get("holds", [])
    if not isinstance(holds, list) or not all(isinstance(tag, str) and tag.strip() for tag in holds):
        raise reader.fail(f"{where}.holds", "expected a list of OSM tag keys, e.g. [\"opening_hours\", \"phone\"]")
    own_licence = reader.optional_text(raw, f"{where}.licence") or licence
    if not own_licence:
        raise reader.fail(f"{where}.licence", "give the producer's licence (or the dataset's `licence`), "
                                              "e.g. \"etalab-2.0\"")
    producer = Producer(
        name=name,
        title=reader.optional_text(raw, f"{where}.title") or name,
        owner=reader.text(raw, f"{where}.owner"),
        contact=reader.optional_text(raw, f"{where}.contact") or "",
        licence=own_licence,
        trust=trust,
        holds=frozenset(tag.strip() for tag in holds),
        city_url_template=reader.optional_text(raw, f"{where}.city_url_template") or city_url_template,
    )
    return ProducerConfig(producer=producer,
                          source=reader.source(reader.table(raw, f"{where}.source"), f"{where}.source"),
                          mapping=reader.path(raw, f"{where}.mapping"),
                          updated_field=reader.optional_text(raw, f"{where}.updated_field") or None)
