"""Benchmark harness: osmbridge's matcher against OSM Conflator on perturbed real and synthetic data."""
