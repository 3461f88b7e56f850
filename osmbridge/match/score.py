"""Pair scores: log-odds that a city feature and an OSM place are one place, from each piece of evidence.

Each piece adds log-odds independently (a naive-Bayes / Fellegi-Sunter style sum), so each
contribution can be shown to a person: "close (+2.1), same name (+4.8), different address (-1.5)".
"""

from __future__ import annotations

import math

import numpy as np

from osmbridge.match.rules import MatchRules

# Name similarity (0..100) -> log-odds. 70 is neutral: names that share most letters but differ
# in a word say little either way; exact names are strong evidence, unrelated names strong
# evidence against.
_NAME_SIMILARITY = np.array([0.0, 40.0, 55.0, 70.0, 85.0, 95.0, 100.0])
_NAME_LOGIT = np.array([-6.0, -4.5, -3.0, 0.0, 2.0, 4.0, 5.0])


def distance_logit(distance_m: np.ndarray, match_distance_m: np.ndarray, rules: MatchRules,
                   lone: np.ndarray | None = None) -> np.ndarray:
    """Return the distance evidence: +distance_logit at 0 m, 0 at match_distance_m, negative beyond
    (less steeply for a `lone` candidate, with no other place of its kind around)."""
    ratio = distance_m / np.maximum(match_distance_m, 1e-6)
    slope = rules.far_slope if lone is None else np.where(lone, rules.lone_far_slope, rules.far_slope)
    return np.where(
        ratio <= 1.0,
        rules.distance_logit * (1.0 - ratio),
        -slope * (ratio - 1.0),
    )


def name_logit(similarity: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Return the name evidence; NaN similarity (a name missing on either side) is neutral."""
    logit = np.interp(np.nan_to_num(similarity, nan=70.0), _NAME_SIMILARITY, _NAME_LOGIT)
    return np.where(np.isnan(similarity), 0.0, logit * weight)


def name_weight(count: int) -> float:
    """Return how much a name tells, from how many places carry it: 1 when unique.

    "Policja" on 66 police stations, "Pharmacie du Centre" on many pharmacies: agreeing (or
    disagreeing) on such a name says less than on a name only one place has.
    """
    return 1.0 / (1.0 + math.log(count)) if count > 1 else 1.0


def address_logit(agreement: np.ndarray, rules: MatchRules) -> np.ndarray:
    """Return the address evidence from codes: 2 agree, 1 same street, -1 disagree, -2 another town, 0 unknown."""
    return np.select(
        [agreement == 2, agreement == 1, agreement == -1, agreement == -2],
        [rules.address_agree_logit, rules.street_agree_logit, rules.address_disagree_logit,
         rules.town_disagree_logit],
        0.0,
    )


def attribute_logit(net: np.ndarray, rules: MatchRules) -> np.ndarray:
    """Return the evidence of other attributes from net agreement counts (agreeing - disagreeing)."""
    net = np.clip(net, -2, 2)
    return np.where(net > 0, net * rules.attribute_agree_logit, -net * rules.attribute_disagree_logit)


def phone_logit(agreement: np.ndarray, rules: MatchRules) -> np.ndarray:
    """Return the phone evidence from codes: 1 agree, -1 disagree, 0 unknown."""
    return np.select([agreement == 1, agreement == -1], [rules.phone_agree_logit, rules.phone_disagree_logit], 0.0)
