"""The OSM API 0.6 notes formats read into `model.OsmNote`: GeoJSON (`.json`) and XML (the default).

Both carry the same fields: id, position, status, dates ("2024-05-01 09:30:00 UTC") and the comments
(action, date, user, text). A single note is a Feature or one <note>; a list is a FeatureCollection
or an <osm> of <note>s.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any, cast

from osmbridge.errors import OsmbridgeError
from osmbridge.model import NoteComment, NoteStatus, OsmNote

_STATUSES = ("open", "closed", "hidden")


class NotesFormatError(OsmbridgeError):
    """An answer of the notes API that is not the notes format."""


def iso_time(text: str | None) -> str | None:
    """Return an API time ("2024-05-01 09:30:00 UTC", or ISO 8601) as ISO 8601 UTC; None stays None."""
    if not text:
        return None
    value = text.strip()
    if value.endswith(" UTC"):
        value = value[:-4].replace(" ", "T") + "+00:00"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise NotesFormatError(f"the notes API sent the time {text!r}, which is not a date") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_notes(data: bytes, content_type: str = "") -> list[OsmNote]:
    """Return the notes of an answer, JSON or XML (told by the content type, else by the first character)."""
    text = data.lstrip()
    if "json" in content_type or text[:1] in (b"{", b"["):
        return parse_notes_json(data)
    return parse_notes_xml(data)


def parse_notes_json(data: bytes) -> list[OsmNote]:
    """Return the notes of a GeoJSON answer (a FeatureCollection, or one Feature)."""
    try:
        document = json.loads(data)
    except ValueError as error:
        raise NotesFormatError(f"the notes API sent JSON that cannot be read: {error}") from None
    if not isinstance(document, dict):
        raise NotesFormatError("the notes API sent JSON that is not a GeoJSON object")
    features = document.get("features") if document.get("type") == "FeatureCollection" else [document]
    if not isinstance(features, list):
        raise NotesFormatError("the notes API sent a FeatureCollection without features")
    return [_note_of_feature(feature) for feature in features]


def _note_of_feature(feature: Any) -> OsmNote:
    try:
        lon, lat = (float(v) for v in feature["geometry"]["coordinates"][:2])
        properties = feature["properties"]
        comments = tuple(NoteComment(action=str(c.get("action", "")), date=iso_time(c.get("date")) or "",
                                     user=c.get("user"), text=str(c.get("text") or ""))
                         for c in properties.get("comments") or ())
        return OsmNote(id=int(properties["id"]), lon=lon, lat=lat, status=_status(properties.get("status")),
                       created_at=iso_time(properties.get("date_created")) or "",
                       closed_at=iso_time(properties.get("closed_at")), comments=comments)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise NotesFormatError(f"the notes API sent a note that cannot be read ({error.__class__.__name__}: "
                               f"{error})") from None


def parse_notes_xml(data: bytes) -> list[OsmNote]:
    """Return the notes of an XML answer (<osm> holding <note> elements, or one <note>)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise NotesFormatError(f"the notes API sent XML that cannot be read: {error}") from None
    elements = [root] if root.tag == "note" else root.findall("note")
    return [_note_of_element(element) for element in elements]


def _note_of_element(element: ET.Element) -> OsmNote:
    try:
        comments = tuple(NoteComment(action=c.findtext("action") or "", date=iso_time(c.findtext("date")) or "",
                                     user=c.findtext("user"), text=c.findtext("text") or "")
                         for c in element.iterfind("comments/comment"))
        return OsmNote(id=int(element.findtext("id") or ""), lon=float(element.get("lon", "")),
                       lat=float(element.get("lat", "")), status=_status(element.findtext("status")),
                       created_at=iso_time(element.findtext("date_created")) or "",
                       closed_at=iso_time(element.findtext("date_closed")), comments=comments)
    except ValueError as error:
        raise NotesFormatError(f"the notes API sent a note that cannot be read: {error}") from None


def _status(value: Any) -> NoteStatus:
    if value not in _STATUSES:
        raise NotesFormatError(f"the notes API sent a note with status {value!r}; expected open, closed or hidden")
    return cast(NoteStatus, value)
