"""How the matcher weighs evidence: one frozen object of thresholds, sensible for any city."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Keys that identify a place in a national register; when both sides carry one, equal values link
# the two and different values keep them apart.
WELL_KNOWN_REF_KEYS: tuple[str, ...] = (
    "ref:UAI",  # French schools
    "ref:FR:FINESS",  # French health and social establishments
    "ref:FR:SIRET",
    "ref:FR:LaPoste",
    "ref:FR:RNA",
    "ref:mhs",  # French historic monuments
    "ref:isil",  # libraries (ISO 15511)
    "ref:regon",  # Polish business register
    "ref:nid",  # Polish heritage register
    "ref:GB:uprn",
    "ref:edubase",  # English schools
)
# Not wikidata: OSM objects often point at the organisation, a city record at the building (or the
# reverse), so two different values do not prove two different places.


@dataclass(frozen=True, slots=True)
class MatchRules:
    """Thresholds of the conflation engine; scores below are log-odds ("logit") units.

    A pair's log-odds is the sum of independent pieces of evidence: distance relative to the
    feature's `match_distance_m`, name similarity, same primary tag, address and phone agreement.
    The reported `Match.score` is its logistic, 0..1.
    """

    extra_ref_keys: tuple[str, ...] = WELL_KNOWN_REF_KEYS
    # Candidates are searched up to this many times the feature's match_distance_m, so that a
    # place misplaced in one dataset can still be linked when its name agrees strongly.
    search_factor: float = 3.0
    # A link needs at least this score (0.5 = even odds).
    min_score: float = 0.5
    # Below min_score but above this, the best candidate is offered for review (ambiguous).
    weak_score: float = 0.12
    # A link is ambiguous when another plausible assignment is within this many logit units.
    ambiguity_margin: float = 1.0
    # Distance evidence: +distance_logit at 0 m, 0 at match_distance_m, then falling by
    # far_slope per further match_distance_m.
    distance_logit: float = 3.0
    far_slope: float = 2.0
    # OSM carries an accepted tag but not the feature's own primary tag (library vs community
    # centre): a little against. The same primary tag is the baseline.
    compatible_type_logit: float = -0.5
    # The city names the place and the OSM place has no name at all: often the building or the
    # grounds of the place whose named node was deleted or sits elsewhere. Strong enough that
    # distance alone never links such a pair (it goes to review); an agreeing address or phone can.
    unnamed_in_osm_logit: float = -3.5
    address_agree_logit: float = 1.5
    address_disagree_logit: float = -1.5
    # Both addresses name a town and they are different towns (no shared word, no common postcode): a
    # record placed at another town's building (a register's copied coordinates) must not be linked on
    # its position alone; it goes to review with that building as its candidate.
    town_disagree_logit: float = -3.0
    street_agree_logit: float = 0.5
    phone_agree_logit: float = 2.0
    phone_disagree_logit: float = -0.5
    # Per other mapped attribute both sides carry (capacity, operator...), at most two counted:
    # agreement says more than disagreement.
    attribute_agree_logit: float = 0.75
    attribute_disagree_logit: float = -0.25  # weak: counts drift (a rack extended) more than names do
    # A "lone" candidate has no other place of an accepted type within the search radius: beyond the
    # match distance its distance counts against it at this slope instead of far_slope, so that a
    # misplaced record whose name agrees is still found when nothing else is around. The farther,
    # the more the name must agree.
    lone_far_slope: float = 1.0
    # The local density of places of the accepted types is measured within this many times the match
    # distance.
    context_factor: float = 10.0
    # A lone candidate is "isolated" when chance would put fewer than this many unrelated places of
    # its kind within its distance (where such places are sparse): its name alone cannot rule it out
    # then (the name evidence is at least isolated_name_floor) and being alone counts for it.
    isolated_expected: float = 0.02
    isolated_name_floor: float = -2.0
    isolated_logit: float = 1.0
    # A record left without any candidate is offered for review the one place of an accepted type
    # bearing its very name within this many times its match distance.
    review_factor: float = 10.0
    # Same-side duplicates: same primary tag, names at least this similar, this close.
    duplicate_name_similarity: float = 90.0
    duplicate_distance_m: float = 30.0
    # Unnamed features (bike racks, benches) are duplicates only when practically on top.
    duplicate_unnamed_distance_m: float = 1.0
    # Keep at most this many candidates per city feature (best first) for the assignment.
    max_candidates: int = 8

    def __post_init__(self) -> None:
        """Refuse thresholds that cannot work (the config loader reports them with their file)."""
        problems = []
        if not 0.0 < self.weak_score <= self.min_score < 1.0:
            problems.append("need 0 < weak_score <= min_score < 1")
        if self.search_factor < 1.0:
            problems.append("search_factor must be at least 1 (the matching distance itself)")
        if self.review_factor < self.search_factor:
            problems.append("review_factor must be at least search_factor")
        if self.isolated_expected < 0 or self.context_factor <= 0:
            problems.append("isolated_expected must be >= 0 and context_factor > 0")
        if self.ambiguity_margin < 0 or self.max_candidates < 1:
            problems.append("ambiguity_margin must be >= 0 and max_candidates >= 1")
        if self.duplicate_distance_m < 0 or self.duplicate_unnamed_distance_m < 0:
            problems.append("duplicate distances must be >= 0")
        if problems:
            raise ValueError("invalid match rules: " + "; ".join(problems))

    @property
    def min_logit(self) -> float:
        """The log-odds a link needs (from min_score)."""
        return logit_of(self.min_score)

    @property
    def weak_logit(self) -> float:
        """The log-odds above which a rejected best candidate is still offered for review."""
        return logit_of(self.weak_score)


def logit_of(probability: float) -> float:
    """Return the log-odds of a probability, clamped away from 0 and 1."""
    p = min(max(probability, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def logistic(logit: float) -> float:
    """Return the probability for a log-odds value."""
    if logit >= 0:
        return 1.0 / (1.0 + math.exp(-logit))
    z = math.exp(logit)
    return z / (1.0 + z)
