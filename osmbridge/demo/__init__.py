"""`osmbridge demo`: a small fictional town generated offline, with known differences between the city and OSM."""

from osmbridge.demo.generate import DemoFiles, generate_town

__all__ = ["DemoFiles", "generate_town"]
