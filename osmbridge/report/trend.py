"""The history trend: counts of each run drawn as an inline SVG line chart (no script, prints well)."""

from __future__ import annotations

from dataclasses import dataclass

from osmbridge.model import RunCounts

# (attribute of RunCounts, i18n key, colour)
SERIES = (
    ("differences", "count.differences", "#c0392b"),
    ("missing_in_osm", "count.missing_in_osm", "#e67e22"),
    ("missing_in_city", "count.missing_in_city", "#2e86c1"),
)


@dataclass(frozen=True, slots=True)
class TrendPoint:
    x: float
    y: float
    value: int
    label: str  # run date


@dataclass(frozen=True, slots=True)
class TrendSeries:
    key: str  # i18n key
    colour: str
    points: tuple[TrendPoint, ...]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True, slots=True)
class Trend:
    width: int
    height: int
    top: float
    bottom: float
    left: float
    right: float
    max_value: int
    series: tuple[TrendSeries, ...]
    direction: str  # "down", "up", "flat" for differences since the previous run; "" with one run
    first_label: str
    last_label: str
    runs: tuple[RunCounts, ...]


def build_trend(history: tuple[RunCounts, ...], width: int = 640, height: int = 200) -> Trend:
    """Return the chart geometry for the runs, oldest first."""
    runs = tuple(sorted(history, key=lambda r: (r.started_at, r.run_id)))
    left, right, top, bottom = 44.0, width - 16.0, 14.0, height - 28.0
    max_value = max([getattr(r, attr) for r in runs for attr, _, _ in SERIES] + [1])
    step = (right - left) / (len(runs) - 1) if len(runs) > 1 else 0.0
    series = []
    for attr, key, colour in SERIES:
        points = tuple(
            TrendPoint(
                x=left + i * step if len(runs) > 1 else (left + right) / 2,
                y=bottom - (bottom - top) * getattr(r, attr) / max_value,
                value=getattr(r, attr),
                label=r.started_at[:10],
            )
            for i, r in enumerate(runs)
        )
        series.append(TrendSeries(key=key, colour=colour, points=points))
    direction = ""
    if len(runs) > 1:
        last, previous = runs[-1].differences, runs[-2].differences
        direction = "down" if last < previous else "up" if last > previous else "flat"
    return Trend(
        width=width, height=height, top=top, bottom=bottom, left=left, right=right, max_value=max_value,
        series=tuple(series), direction=direction,
        first_label=runs[0].started_at[:10] if runs else "", last_label=runs[-1].started_at[:10] if runs else "",
        runs=runs,
    )
