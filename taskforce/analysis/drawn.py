"""What a chart draws of a verdict: the special-cause weeks it marks, from the card's own control chart. One rule
for the trend pages, the overview's sparklines, the briefing's slides and the pack."""

from __future__ import annotations

from collections.abc import Hashable

from taskforce.analysis.variation import Control
from taskforce.measures.registry import Measure
from taskforce.measures.vocabulary import LIMITS_WORD, MEAN_WORD, Judgement

MARKED = (Judgement.GOOD, Judgement.BAD, Judgement.NEUTRAL)  # special cause improving, concerning, or neither


def marked_special_causes(
    control: Control, item: Measure, judged: bool = True
) -> dict[Hashable, tuple[float, Judgement]]:
    """Each special-cause week with its value and verdict, from the same rules as the card's verdict; `judged`
    False (the week judged is provisional): that week is not marked, since it is judged on nothing."""
    special = control.special_causes(item)
    if not judged:
        special.pop(control.last, None)
    return {week: found for week, found in special.items() if found[1] in MARKED}


def limits_caption(what: str, control: Control) -> str:
    """The line under a chart that draws a card's limits: 'Mean and limits of OIC arrests: XmR limits from 19
    weeks, 5 Jul 2026 to 15 Nov 2026, 1 special-cause week left out'."""
    return f"{MEAN_WORD} and {LIMITS_WORD.lower()} of {what}: {control.baseline_words()}"
