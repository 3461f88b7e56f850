"""osmbridge: keep a city's open data and OpenStreetMap in step."""

__version__ = "0.1.0"
