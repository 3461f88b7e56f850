"""Declarative tag mappings: city records -> the OSM tags the city asserts (see mappings/*.toml)."""

from osmbridge.mapping.adhoc import mapping_for_tag
from osmbridge.mapping.apply import apply_mapping, unconverted_tags
from osmbridge.mapping.check import MappingCheck, check_mapping, format_check
from osmbridge.mapping.load import load_mapping
from osmbridge.mapping.read import MappedSource, read_mapped_places
from osmbridge.mapping.rules import (
    CategoryRule,
    ClosedRule,
    FieldRule,
    RecordFilter,
    SkipRule,
    TagMapping,
    ValueSelector,
    field_text,
)
from osmbridge.mapping.transforms import TRANSFORMS, TransformError

__all__ = [
    "TRANSFORMS", "CategoryRule", "ClosedRule", "FieldRule", "MappedSource", "MappingCheck", "RecordFilter",
    "SkipRule", "TagMapping", "TransformError", "ValueSelector", "apply_mapping", "check_mapping", "field_text",
    "format_check", "load_mapping", "mapping_for_tag", "read_mapped_places", "unconverted_tags",
]
