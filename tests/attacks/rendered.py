"""What a reader of a wider output sees, read back as figures tied to the release's cells, and the interval
attack run on exactly those figures.

A fact is (cell key, value as printed): a count the output shows for an organisation, region or the nation over a
release period. `tie` checks every fact against the release (the cell is shown there, and with that value);
`attack` runs the interval attack of `intervals.py` with the facts as everything the reader knows, over the
blocks (a fixed period and its weeks) the facts fall in."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Hashable, Iterable

from pptx import Presentation

from taskforce.core.disclosure import SUPPRESSED
from taskforce.release.build import Release
from taskforce.release.universe import FOUR_WEEKS, NATION, WEEK
from tests.attacks import release_cells
from tests.attacks.intervals import exactly_derived

Fact = tuple[Hashable, float]
PREVIOUS_COUNT = re.compile(r"^([\d,]+) in the previous period$")
PERCENT_CHANGE = re.compile(r"^[+-]\d+%( on the previous period)?$")


def pack_text(content: bytes) -> list[str]:
    """Every text a reader of the pack can see or open: text frames, table cells, chart series (name and
    values), speaker notes."""
    deck = Presentation(io.BytesIO(content))
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                for plot in shape.chart.plots:
                    texts += [f"{series.name}: {list(series.values)}" for series in plot.series]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    return texts


def _slide(deck, heading: str):
    return next(
        slide
        for slide in deck.slides
        if any(shape.has_text_frame and shape.text_frame.text == heading for shape in slide.shapes)
    )


def force_map_facts(content: bytes, release: Release, names: dict[str, str]) -> tuple[list[Fact], list[str]]:
    """The force-map slide's table read back: each force's count over the release's 4 weeks, and the previous
    period's count where the slide prints one; a percentage change needs both ends, so both become facts.
    Returns the facts and the forces printed as hidden. `names`: force name -> org code."""
    deck = Presentation(io.BytesIO(content))
    slide = _slide(deck, "FORCE MAP")
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    period = release.period("4 weeks")
    now, before = (FOUR_WEEKS, period.last), (FOUR_WEEKS, period.previous().last)
    facts, hidden = [], []
    rows = list(table.rows)
    headings = [cell.text for cell in rows[0].cells]
    for row in rows[1:]:
        cells = dict(zip(headings, (cell.text for cell in row.cells), strict=True))
        force, arrests, change = cells["Force"], cells["Arrests"], cells["Change"]
        code = names[force]
        if arrests == SUPPRESSED:
            hidden.append(code)
        else:
            facts.append(((now, code, "oic_arrests"), float(arrests.replace(",", ""))))
        previous = PREVIOUS_COUNT.match(change) or re.match(r"^([\d,]+)$", cells.get("Previous 4 weeks", ""))
        if previous:
            facts.append(((before, code, "oic_arrests"), float(previous.group(1).replace(",", ""))))
        elif PERCENT_CHANGE.match(change):
            facts.append(((before, code, "oic_arrests"), _shown(release, before, code)))
    return facts, hidden


def _shown(release: Release, period: tuple, org: str) -> float:
    """A percentage change printed: the previous count it was made from must be shown (else the fact is NaN,
    which `tie` reports)."""
    value = release.protected.get(period, org, "oic_arrests") if release.protected else None
    return float("nan") if value is None else value


def trend_facts(content: bytes, release: Release) -> list[Fact]:
    """The trend slide's chart read back: the nation's arrests and charges, week by week, the last 26 weeks."""
    deck = Presentation(io.BytesIO(content))
    slide = _slide(deck, "ARRESTS AND CHARGES")
    chart = next(shape.chart for shape in slide.shapes if shape.has_chart)
    assert release.week is not None
    facts = []
    for series in chart.plots[0].series:
        code = {"OIC arrests": "oic_arrests", "OIC charges": "oic_charges"}.get(series.name)
        values = list(series.values)
        weeks = [release.week - dt.timedelta(weeks=n) for n in range(len(values) - 1, -1, -1)]
        facts += [
            (((WEEK, week), NATION, code), value)
            for week, value in zip(weeks, values, strict=True)
            if code and value is not None
        ]
    return facts


def tie(facts: Iterable[Fact], release: Release) -> list[str]:
    """Every fact that the release does not show with that value: each is a figure computed outside it."""
    assert release.protected is not None
    wrong = []
    for key, value in facts:
        released = release.protected.values.get(key, "absent")
        if released is None or released == "absent" or abs(float(released) - value) > 1e-9:
            wrong.append(f"{key}: printed {value}, released {released}")
    return wrong


def attack(inputs, facts: Iterable[Fact], code: str = "oic_arrests") -> dict[Hashable, float]:
    """The interval attack with the facts as all the reader knows: for each block a fact falls in, the small
    counts the printed figures pin to one whole number."""
    known = {key: value for key, value in facts}
    ends = sorted({key[0][1] for key in known if key[0][0] == FOUR_WEEKS})
    found: dict[Hashable, float] = {}
    for last in ends:
        cells, _, primary = release_cells.block(inputs, release_cells.group_of(code), last)
        printed = {cell.key for cell in cells if cell.key in known}
        unknown = {cell.key for cell in cells} - printed
        found |= exactly_derived(cells, unknown, primary)
    return found
