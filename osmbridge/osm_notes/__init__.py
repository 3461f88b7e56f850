"""OSM notes, both ways: read the notes near a dataset's places, publish needs-survey items as notes.

In the order data flows:
- `api` (HTTP, the notes endpoints of the OSM API 0.6) and `formats` (their JSON and XML answers);
- `tiles` and `read`: which boxes to ask for, under the API's maximum area, split when an answer is full;
- `nearby` (pure): the place each note is next to; `classify` (pure): whether its text reports a
  closure or a wrong value; `differences` (pure): such notes next to a city record, as `osm_note` items;
- `steps`: what a run does (read before the report; follow the linked notes after the store step);
- `text` (pure) and `publish`: a needs-survey item as a note, searched for first, paced, recorded;
- `token` and `client`: the OAuth2 token that signs notes (write_notes scope) and the configured client.

The store keeps the notes and the items following them (`osmbridge.store.osm_notes_store`).
"""
