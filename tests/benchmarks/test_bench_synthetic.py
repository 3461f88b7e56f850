"""The perturbation model: seeded and deterministic, and it does what benchmarks/README.md says."""

from __future__ import annotations

import math
import random
import statistics
import sys
from dataclasses import replace

import pytest
from rapidfuzz.distance import OSA

from shared_data import ROOT, require_shared

if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import names  # noqa: E402
from benchmarks.datasets import PUBLIC_SERVICE_FILTERS, place_kind  # noqa: E402
from benchmarks.osm_input import read_places  # noqa: E402
from benchmarks.scaling_data import generate_osm, side_km  # noqa: E402
from benchmarks.synthetic import HARD, SYNTHETIC_ID_BASE, NoiseModel, perturb  # noqa: E402

MODEL = NoiseModel()
QUIET = NoiseModel(position_sigma_m=0.0, far_offset_rate=0.0, typo_rate=0.0, abbreviation_rate=0.0,
                   accent_drop_rate=0.0, upper_case_rate=0.0, word_drop_rate=0.0, no_name_rate=0.0,
                   drop_city_rate=0.0, drop_osm_rate=0.0, confusable_rate=0.0)


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    dx = math.radians(b[0] - a[0]) * math.cos(math.radians(a[1])) * 6_371_008.8
    dy = math.radians(b[1] - a[1]) * 6_371_008.8
    return math.hypot(dx, dy)


@pytest.fixture(scope="module")
def osm():
    return generate_osm(8000, seed=7)


@pytest.fixture(scope="module")
def big_set(osm):
    return perturb("t", osm, place_kind, 100.0, "fr", seed=3)


def test_same_seed_gives_the_same_set(osm, big_set):
    again = perturb("t", osm, place_kind, 100.0, "fr", seed=3)
    assert again.city == big_set.city
    assert [p.key for p in again.osm] == [p.key for p in big_set.osm]
    assert again.expected == big_set.expected


def test_another_seed_or_set_name_gives_another_set(osm, big_set):
    assert perturb("t", osm, place_kind, 100.0, "fr", seed=4).city != big_set.city
    assert perturb("u", osm, place_kind, 100.0, "fr", seed=3).city != big_set.city


def test_input_order_does_not_matter(osm, big_set):
    shuffled = list(osm)
    random.Random(1).shuffle(shuffled)
    assert perturb("t", shuffled, place_kind, 100.0, "fr", seed=3).city == big_set.city


def _within(observed: int, trials: int, rate: float) -> bool:
    """True when `observed` successes out of `trials` fit `rate` within 4 standard deviations."""
    sigma = math.sqrt(trials * rate * (1 - rate))
    return abs(observed - trials * rate) <= 4 * sigma + 1


def test_record_level_rates_follow_the_model(osm, big_set):
    named = [p for p in osm if p.tags.get("name")]
    records = big_set.city
    removed = sum("origin_removed" in r.perturbations for r in records)
    far = sum("far_offset" in r.perturbations for r in records)
    confusables = [p for p in big_set.osm if p.osm_id >= SYNTHETIC_ID_BASE]
    # A feature dropped on both sides is kept in OSM, so the city-side drop rate is the plain rate.
    assert _within(len(named) - len(records), len(named), MODEL.drop_city_rate)
    assert _within(removed, len(records), MODEL.drop_osm_rate / (1 - MODEL.drop_city_rate))
    assert _within(far, len(records), MODEL.far_offset_rate)
    # Confusables go next to named features still in OSM; a feature dropped on both sides stays in OSM.
    assert _within(len(confusables), len(named) - removed, MODEL.confusable_rate)


def test_name_variant_rates_follow_the_model(big_set):
    records = big_set.city
    counts = {label: sum(label in r.perturbations for r in records)
              for label in ("no_name", "typo", "abbreviation", "accents", "upper_case", "word_drop")}
    named = len(records) - counts["no_name"]
    assert _within(counts["no_name"], len(records), MODEL.no_name_rate)
    assert _within(counts["typo"], named, MODEL.typo_rate)
    assert _within(counts["upper_case"], named, MODEL.upper_case_rate)
    # Abbreviation and word drop only count when they changed the name; the synthetic names
    # ("School Rumiso Bitavi") always offer a word to abbreviate and, with 3 words, one to drop.
    assert _within(counts["abbreviation"], named, MODEL.abbreviation_rate)
    assert counts["word_drop"] <= named * MODEL.word_drop_rate + 4 * math.sqrt(named * MODEL.word_drop_rate)


def test_position_noise_is_gaussian_with_the_documented_sigma(osm, big_set):
    centre = {p.key: (p.center.x, p.center.y) for p in osm}
    east, north = [], []
    for r in big_set.city:
        if "far_offset" in r.perturbations:
            continue
        lon0, lat0 = centre[r.origin_key]
        east.append(math.radians(r.lon - lon0) * math.cos(math.radians(lat0)) * 6_371_008.8)
        north.append(math.radians(r.lat - lat0) * 6_371_008.8)
    for axis in (east, north):
        assert abs(statistics.fmean(axis)) < 4 * MODEL.position_sigma_m / math.sqrt(len(axis))
        assert statistics.pstdev(axis) == pytest.approx(MODEL.position_sigma_m, rel=0.05)


def test_far_offsets_lie_in_the_documented_band(osm, big_set):
    centre = {p.key: (p.center.x, p.center.y) for p in osm}
    low, high = MODEL.far_offset_range
    far = [r for r in big_set.city if "far_offset" in r.perturbations]
    assert far
    for r in far:
        assert low * 100.0 - 0.5 <= _metres(centre[r.origin_key], (r.lon, r.lat)) <= high * 100.0 + 0.5


def test_removed_origins_are_gone_from_osm_and_must_stay_unlinked(big_set):
    on_osm = {p.key for p in big_set.osm}
    for r in big_set.city:
        if "origin_removed" in r.perturbations:
            assert r.origin_key not in on_osm
            assert big_set.expected[r.source_id] is None
        else:
            assert r.origin_key in on_osm
            assert big_set.expected[r.source_id] == r.origin_key


def test_confusables_are_another_type_near_a_true_feature(osm, big_set):
    by_name = {}
    for p in osm:
        by_name.setdefault(p.tags.get("name"), []).append(p)
    confusables = [p for p in big_set.osm if p.osm_id >= SYNTHETIC_ID_BASE]
    assert confusables
    low, high = MODEL.confusable_range_m
    same_name = 0
    for c in confusables:
        name = c.tags["name"]
        twins = [p for p in osm if p.tags.get("name") and OSA.distance(p.tags["name"].split(), name.split()) <= 1
                 and low - 0.5 <= _metres((p.center.x, p.center.y), (c.center.x, c.center.y)) <= high + 0.5]
        assert twins, c
        assert all(place_kind(t) != place_kind(c) for t in twins if t.tags["name"] == name)
        same_name += any(t.tags["name"] == name for t in twins)
    assert _within(same_name, len(confusables), MODEL.confusable_same_name_rate)


def test_no_noise_reproduces_the_named_features_exactly(osm):
    clean = perturb("t", osm, place_kind, 100.0, "fr", seed=3, model=QUIET)
    named = {p.key: p for p in osm if p.tags.get("name")}
    assert len(clean.city) == len(named)
    assert len(clean.osm) == len(osm)
    for r in clean.city:
        origin = named[r.origin_key]
        assert (r.name, r.kind, r.perturbations) == (origin.tags["name"], place_kind(origin), ())
        assert _metres((r.lon, r.lat), (origin.center.x, origin.center.y)) < 1e-6


def test_each_rate_is_applied_alone(osm):
    only_drop = perturb("t", osm, place_kind, 100.0, "fr", seed=3, model=replace(QUIET, drop_city_rate=1.0))
    assert only_drop.city == () and len(only_drop.osm) == len(osm)
    upper = perturb("t", osm, place_kind, 100.0, "fr", seed=3, model=replace(QUIET, upper_case_rate=1.0))
    assert all(r.name == r.name.upper() and r.perturbations == ("upper_case",) for r in upper.city)


def test_background_features_get_no_city_record(osm):
    part = perturb("t", osm[:100], place_kind, 100.0, "fr", seed=3, background=osm[100:])
    keys = {p.key for p in osm[:100]}
    assert {r.origin_key for r in part.city} <= keys
    assert {p.key for p in osm[100:]} <= {p.key for p in part.osm}


def test_typo_is_one_keyboard_slip():
    rng = random.Random(5)
    for _ in range(200):
        typo = names.add_typo("Bibliothèque Chaptal", rng)
        assert typo != "Bibliothèque Chaptal"
        assert OSA.distance(typo, "Bibliothèque Chaptal") == 1
        assert typo[0] == "B"


def test_accents_are_dropped_including_undecomposable_letters():
    assert names.drop_accents("École Łódź Hämeentie") == "Ecole Lodz Hameentie"


def test_abbreviations_use_the_language_table_else_cut_the_longest_word():
    rng = random.Random(1)
    abbreviated = names.abbreviate("Komenda Powiatowa Policji", "pl", rng)
    assert abbreviated != "Komenda Powiatowa Policji"
    assert set(abbreviated.split()) <= {"Komenda", "Powiatowa", "Policji", "Kom.", "Pow.", "Pol."}
    assert names.abbreviate("Kauppakorkeakoulu", "fi", rng) == "Kaup."
    assert names.abbreviate("Oslo", "fi", rng) == "Oslo"


def test_word_drop_keeps_short_names():
    rng = random.Random(2)
    assert names.drop_word("Kluuvin Apteekki", rng) == "Kluuvin Apteekki"
    assert names.drop_word("École maternelle Lamartine", rng) in {"maternelle Lamartine", "École maternelle"}


def test_synthetic_osm_is_deterministic_and_keeps_city_density():
    a, b = generate_osm(3000, seed=11), generate_osm(3000, seed=11)
    assert [(p.key, p.tags, p.center.wkt) for p in a] == [(p.key, p.tags, p.center.wkt) for p in b]
    assert len({p.key for p in a}) == 3000
    assert side_km(1_000_000) == pytest.approx(100.0)


def test_real_extract_perturbs_the_same_way_twice():
    path = require_shared("paris-9e-osm-2021/map.osm")
    places, _ = read_places(path, PUBLIC_SERVICE_FILTERS)
    one = perturb("paris", places, place_kind, 100.0, "fr", seed=1)
    two = perturb("paris", list(reversed(places)), place_kind, 100.0, "fr", seed=1)
    assert one.city == two.city and one.expected == two.expected
    named = {p.key: p for p in places if p.tags.get("name")}
    assert 0 < len(one.city) <= len(named)
    assert all(r.kind == place_kind(named[r.origin_key]) for r in one.city)


def test_the_hard_model_keeps_every_draw_of_the_base_model(osm, big_set):
    hard = perturb("t", osm, place_kind, 100.0, "fr", seed=3, model=HARD)
    assert [(r.source_id, r.kind, r.origin_key) for r in hard.city] == \
        [(r.source_id, r.kind, r.origin_key) for r in big_set.city]
    assert hard.expected == big_set.expected
    extra = {"renamed", "shortening", "double_typo", "far_absolute"}
    for base, record in zip(big_set.city, hard.city):
        assert record.perturbations[:len(base.perturbations)] == base.perturbations
        added = set(record.perturbations[len(base.perturbations):])
        assert added <= extra
        if not added:
            assert (record.name, record.lon, record.lat) == (base.name, base.lon, base.lat)


def test_hard_far_offsets_lie_in_their_band_whatever_the_max_distance(osm):
    hard = perturb("t", osm, place_kind, 100.0, "fr", seed=3, model=HARD)
    centre = {p.key: (p.center.x, p.center.y) for p in osm}
    far = [r for r in hard.city if "far_absolute" in r.perturbations]
    assert _within(len(far), len(hard.city), HARD.far_absolute_rate)
    assert all(59.9 <= _metres(centre[r.origin_key], (r.lon, r.lat)) <= 150.1 for r in far)


def test_shortening_keeps_the_last_word_and_shortens_as_no_table_does():
    rng = random.Random(4)
    seen = set()
    for _ in range(60):
        short = names.shorten("Komenda Powiatowa Policji Puck", rng)
        assert short.endswith(" Puck") and short != "Komenda Powiatowa Policji Puck"
        seen.add(short)
    assert "KPP Puck" in seen  # initials of a run of capitalised words
    assert any(word.endswith(".") for s in seen for word in s.split())  # a word cut with a dot
    assert any(word in ("Kmnda", "Pwtwa", "Plcji") for s in seen for word in s.split())  # consonants kept
    assert OSA.distance(names.add_two_typos("Mozart", random.Random(2)), "Mozart") in (1, 2, 3, 4)
