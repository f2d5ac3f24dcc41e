"""A funnel plot card: organisations' rates against their bases with exact 95% and 99.8% limits around the
national rate (analysis/funnel.py), its words and its numbers. Partnership and Regional draw theirs with it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from taskforce import charts
from taskforce.analysis import funnel
from taskforce.measures.registry import Measure
from taskforce.ui.cards import chart_card


@dataclass(frozen=True)
class FunnelAxes:
    """What the funnel is drawn against: the title, the base's name, the rate's name and how the rate is shown
    (a share as a percentage, or a count per `scale` of the base)."""

    title: str
    base_label: str
    rate_label: str
    kind: str  # "binomial" for a share of people, "poisson" for a count against its base
    scale: float = 1.0
    percent: bool = True
    smallest_line: float = 1.0  # where the limits start: below the smallest base there is nothing to compare


def funnel_card(
    item: Measure, counts: Sequence[float], bases: Sequence[float], names: Sequence[str], axes: FunnelAxes, key: str
) -> None:
    """Each organisation's rate against its base (restricted circulation: it plots single organisations'
    counts), with the funnel in words, the method and the numbers."""
    points = funnel.funnel_table(counts, bases, names, axes.kind, axes.scale)
    if points.empty:
        return
    national = float(points.attrs["national"])
    lines = funnel.funnel_lines(
        national, float(points["base"].max()), axes.kind, axes.scale, smallest=axes.smallest_line
    )
    chart_card(
        charts.funnel_plot(
            points, lines, national, axes.title, f"{axes.base_label} (log scale)", axes.rate_label, axes.percent
        ),
        funnel.describe(points, item.label, axes.percent),
        points.rename(columns={"name": "organisation"}),
        f"{key}.csv",
        key=key,
        about=funnel.FUNNEL_METHOD,
        count_columns=["count", "base"],
        derived_columns=["rate", "position"],
    )
