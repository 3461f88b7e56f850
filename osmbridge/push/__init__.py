"""Push what reviewers accepted: to OSM through the API 0.6, and back into the city's dataset.

Modules: `licence` (the gate both ways), `api` (the OSM API client), `auth` (the OAuth2 token),
`changesets` (grouping and tags), `osm_push` (journaled uploads), `city_files` / `city_database`
(the city side). Import what you need from them; this package imports nothing heavy itself.
"""
