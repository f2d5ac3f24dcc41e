"""The briefing pack as a PowerPoint file: native, editable charts and tables (python-pptx), the marking on
every slide, and the "what changed" statements in the speaker notes. No browser and no internet needed."""

from __future__ import annotations

import io

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from taskforce.analysis.drawn import MARKED, limits_caption, marked_special_causes
from taskforce.analysis.headlines import status_counts
from taskforce.analysis.variation import POISSON, Control
from taskforce.briefing import actions, findings
from taskforce.briefing.contents import Briefing, ranked_forces
from taskforce.core import disclosure
from taskforce.core.formats import format_change, format_date, format_percent, join_words
from taskforce.maps import areas, hexgrid
from taskforce.measures import palette
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import LIMITS_WORD, MEAN_WORD, POISSON_LIMITS_WORD, REPORTABLE_STATUSES, Judgement


def _colour(hex_colour: str) -> RGBColor:
    return RGBColor(*palette.rgb(hex_colour))


NAVY, GREY, TEAL = (_colour(c) for c in (palette.NAVY, palette.DARK_GREY, palette.TEAL))
WHITE, TEXT = _colour(palette.WHITE), _colour(palette.TEXT)
WIDE, HIGH = Inches(13.333), Inches(7.5)


def _slide(deck: Presentation, title: str, marking: str, notes: str = ""):
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    for top in (Inches(0.05), HIGH - Inches(0.4)):
        band = slide.shapes.add_textbox(Inches(0.3), top, WIDE - Inches(0.6), Inches(0.35))
        paragraph = band.text_frame.paragraphs[0]
        paragraph.text, paragraph.alignment = marking, PP_ALIGN.CENTER
        paragraph.font.size, paragraph.font.bold, paragraph.font.color.rgb = Pt(14), True, GREY
    heading = slide.shapes.add_textbox(Inches(0.5), Inches(0.45), WIDE - Inches(1), Inches(0.8))
    heading.name = HEADING
    heading.text_frame.text = title
    heading.text_frame.paragraphs[0].font.size, heading.text_frame.paragraphs[0].font.bold = Pt(32), True
    if notes:
        slide.notes_slide.notes_text_frame.text = notes
    return slide


def _bullets(slide, lines: list[str], left, top, width, height, size: int = 20) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for index, line in enumerate(lines or ["None."]):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text, paragraph.font.size = f"• {line}", Pt(size)
        paragraph.space_after = Pt(8)


def _table(slide, frame: pd.DataFrame, left, top, width, size: int = 14) -> None:
    rows, columns = len(frame) + 1, len(frame.columns)
    shape = slide.shapes.add_table(rows, columns, left, top, width, Inches(0.4) * rows)
    for column, name in enumerate(frame.columns):
        shape.table.cell(0, column).text = str(name)
    for row, values in enumerate(frame.itertuples(index=False), start=1):
        for column, value in enumerate(values):
            shape.table.cell(row, column).text = "" if value is None else str(value)
    for row in shape.table.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(size)


def _line_chart(slide, categories, series: dict[str, list], left, top, width, height, percent=False):
    data = CategoryChartData()
    data.categories = categories
    for name, values in series.items():
        data.add_series(name, [None if pd.isna(v) else float(v) for v in values])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE, left, top, width, height, data).chart
    chart.has_legend, chart.legend.position, chart.legend.include_in_layout = True, XL_LEGEND_POSITION.BOTTOM, False
    chart.value_axis.tick_labels.number_format = "0%" if percent else "#,##0"
    chart.value_axis.tick_labels.number_format_is_linked = False
    _label_every_nth_category(chart, len(categories))
    # the screen's colours: the measures navy then teal, a reference line (last year, a target) in its own
    for index, plot_series in enumerate(chart.series):
        measures = (palette.NAVY, palette.TEAL)
        plot_series.format.line.color.rgb = _colour(
            measures[index] if index < len(measures) else palette.reference_colour(plot_series.name)
        )
        if index >= len(measures):  # a reference line is dashed, as on the screen (charts.reference_line)
            plot_series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        plot_series.smooth = False
        plot_series.marker.style = XL_MARKER_STYLE.NONE
    chart.legend.font.size = Pt(12)
    return chart


def _short_dates(days) -> list[str]:
    """'7 Jun' under a chart (the slide's footnote and title carry the year): 26 full dates stood on end."""
    return [pd.Timestamp(day).strftime("%-d %b") for day in days]


LABELLED_CATEGORIES = 9  # at most this many date labels under a chart: 26 weekly labels overlap, turned on end


def _label_every_nth_category(chart, count: int) -> None:
    """Label every nth date on the category axis (DrawingML's tickLblSkip, which python-pptx does not set)."""
    skip = -(-count // LABELLED_CATEGORIES)
    if skip <= 1:
        return
    axis = chart.category_axis._element
    element = axis.makeelement(qn("c:tickLblSkip"), {"val": str(skip)})
    following = axis.find(qn("c:noMultiLvlLbl"))
    if following is not None:
        following.addprevious(element)
    else:
        axis.append(element)


def build_pack(briefing: Briefing, marking: str, wider_circulation: bool = False) -> bytes:
    """The pack; `wider_circulation` hides small counts (see taskforce.disclosure) and says so on the title."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, HIGH
    deck.core_properties.identifier = briefing.source  # the published snapshot the figures came from
    overview = briefing.overview
    statements = overview.wider_statements if wider_circulation else overview.statements
    week = format_date(briefing.week_ending)
    _title_slide(deck, briefing, marking, statements, wider_circulation)
    _headlines(deck, briefing, marking, statements, week)
    _recommendations(deck, briefing, marking, week)
    _force_map(deck, briefing, marking, week, wider_circulation)
    _trends(deck, briefing, marking, week)
    _partnership(deck, briefing, marking, week)
    _missing(deck, briefing, marking, week)
    _actions(deck, briefing, marking)
    _stamp_every_slide(deck, _footnote(briefing))
    _say_what_each_slide_shows(
        deck, findings.headings(briefing, wider_circulation), findings.speaker_notes(briefing, wider_circulation)
    )
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


HEADING = "Finding"  # the name of each slide's title box


def _say_what_each_slide_shows(deck, headings: list[findings.SlideHeading], notes: list[str]) -> None:
    """Each slide's title becomes its finding, with the topic as a small overline above it, and its speaker
    notes say what its numbers mean, how they were judged and what the caveats are."""
    for slide, heading, note in zip(deck.slides, headings, notes, strict=True):
        title = next(shape for shape in slide.shapes if shape.name == HEADING)
        title.top, title.height = Inches(0.62), Inches(0.7)
        title.text_frame.word_wrap = True
        title.text_frame.text = heading.finding
        paragraph = title.text_frame.paragraphs[0]
        paragraph.font.size, paragraph.font.bold = Pt(26 if len(heading.finding) < 70 else 20), True
        overline = slide.shapes.add_textbox(Inches(0.5), Inches(0.36), WIDE - Inches(1), Inches(0.3))
        overline.text_frame.text = heading.topic.upper()
        overline.text_frame.paragraphs[0].font.size, overline.text_frame.paragraphs[0].font.bold = Pt(12), True
        overline.text_frame.paragraphs[0].font.color.rgb = NAVY
        slide.notes_slide.notes_text_frame.text = note


def _footnote(briefing: Briefing) -> str:
    """What every slide must say about its figures: demo data, and a provisional week."""
    summary = briefing.overview.returns_summary
    parts = (["DEMO DATA: every figure is synthetic"] if briefing.is_demo else []) + (
        [f"{summary.provisional_words()}: figures will rise as returns arrive"] if summary.provisional else []
    )
    return ". ".join(parts)


def _stamp_every_slide(deck, footnote: str) -> None:
    if not footnote:
        return
    for slide in deck.slides:
        # Bottom left, on the line of the marking (which stays centred): clear of every slide's content.
        box = slide.shapes.add_textbox(Inches(0.3), HIGH - Inches(0.4), Inches(4.6), Inches(0.35))
        box.text_frame.word_wrap = True
        paragraph = box.text_frame.paragraphs[0]
        paragraph.text, paragraph.alignment = footnote, PP_ALIGN.LEFT
        paragraph.font.size, paragraph.font.bold, paragraph.font.color.rgb = Pt(11), True, TEXT


def _title_slide(deck, briefing, marking, statements, wider_circulation: bool) -> None:
    slide = _slide(deck, "OIC Domestic Taskforce: weekly briefing", marking, "\n".join(statements))
    demo = " Demo data: every figure is synthetic." if briefing.is_demo else ""
    source = f", from {briefing.source}" if briefing.source else ""
    lines = [
        f"Week ending {format_date(briefing.week_ending)}",
        f"{briefing.data_up_to}{source}",
        f"Returns: {findings.returns_words(briefing.overview.returns_summary)}.{demo}",
    ]
    _bullets(
        slide,
        lines + ([disclosure.note()] if wider_circulation else []),
        Inches(0.8),
        Inches(2.2),
        Inches(11.5),
        Inches(3.5),
        size=24,
    )


def _headlines(deck, briefing, marking, statements, week) -> None:
    slide = _slide(deck, f"Headlines, week ending {week}", marking, "\n".join(statements))
    rows = pd.DataFrame(
        [
            {
                "Measure": card.measure.label,
                "This week": card.formatted_value + ("" if card.over_weeks == 1 else f" ({card.over_weeks} weeks)"),
                "On the previous week": _short_comparison(card.measure, card.against_previous_week),
                "On the 12 weeks before": _short_comparison(card.measure, card.against_average),
                "Normal variation": card.judgement.short(),
            }
            for card in briefing.overview.cards
        ]
    )
    _table(slide, rows, Inches(0.5), Inches(1.3), Inches(12.3), size=14)
    _bullets(slide, statements, Inches(0.5), Inches(5.0), Inches(12.3), Inches(1.9), size=14)


def _short_comparison(item, comparison) -> str:
    """'+6 (+9%)' for a table cell (a percentage only on a base of 10 or more); the verdict has its own column."""
    if comparison.change is None:
        return "no data"
    relative = f" ({comparison.relative_change:+.0%})" if comparison.relative_change is not None else ""
    return f"{format_change(item, comparison.change)}{relative}"


def _recommendations(deck, briefing, marking, week) -> None:
    recs = briefing.overview.recommendations
    counts = status_counts(recs)
    notes = [f"{status}: {counts[status]}" for status in REPORTABLE_STATUSES]
    slide = _slide(deck, "Recommendations", marking, "\n".join(notes))
    data = CategoryChartData()
    data.categories = [str(status) for status in REPORTABLE_STATUSES]
    data.add_series("Recommendations", [counts[s] for s in REPORTABLE_STATUSES])
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), Inches(1.4), Inches(5.5), Inches(4.6), data
    ).chart
    chart.has_legend = False
    chart.category_axis.tick_labels.font.size = Pt(16)
    chart.category_axis.reverse_order = True
    chart.plots[0].has_data_labels = True
    chart.series[0].format.fill.solid()
    chart.series[0].format.fill.fore_color.rgb = NAVY
    overdue = recs[recs["overdue"]]
    lines = [f"{len(overdue)} overdue: " + join_words([f"{r.number}. {r.short_title}" for r in overdue.itertuples()])]
    due = briefing.due_soon
    lines += [
        f"Due {format_date(r.due_date)}: {r.kind.lower()} of recommendation {r.recommendation}, {r.title}"
        for r in due.itertuples()
    ] or ["Nothing falls due in the next four weeks."]
    _bullets(slide, lines, Inches(6.3), Inches(1.4), Inches(6.6), Inches(5.5), size=15)


def _force_map(deck, briefing, marking, week, wider_circulation: bool) -> None:
    table = briefing.map_table.set_index("area")
    classes = briefing.map_classes
    if wider_circulation and not briefing.map_period:  # a briefing not built from the release: the old rule
        table, classes = areas.for_wider_circulation(table.reset_index(), classes)
        table = table.set_index("area")
    title = (
        f"OIC arrests by force, {briefing.map_period}"
        if briefing.map_period
        else f"OIC arrests by force, 4 weeks to {week}"
    )
    slide = _slide(
        deck, title, marking, "Force grid: one hexagon per force; darker is more arrests; grey is no return."
    )
    _hexagons(slide, table, briefing.short_names)
    listed = ranked_forces(table.reset_index(), wider_circulation)
    _table(slide, listed, Inches(7.3), Inches(1.4), Inches(5.6), size=12)
    _legend(slide, classes, Inches(0.5), Inches(5.95))


def _hexagons(slide, table: pd.DataFrame, short_names: dict[str, str]) -> None:
    layout = hexgrid.load_layout()
    size = Inches(0.33)
    centres = [hexgrid.cell_centre(c, r, 1.0) for c, r in zip(layout["col"], layout["row"], strict=True)]
    xs, ys = zip(*centres, strict=True)
    for code, col, row in layout.itertuples(index=False):
        x, y = hexgrid.cell_centre(col, row, 1.0)
        left = Inches(1.0) + Emu(int((x - min(xs)) * size))
        top = Inches(1.5) + Emu(int((max(ys) - y) * size))
        width, height = Emu(int(size * 1.7)), Emu(int(size * 1.95))
        shape = slide.shapes.add_shape(MSO_SHAPE.HEXAGON, left, top, height, width)
        shape.rotation = 90  # PowerPoint's hexagon is flat-topped; the grid's are pointy-topped
        colour = table.loc[code, "colour"] if code in table.index else palette.NO_RETURN
        shape.fill.solid()
        shape.fill.fore_color.rgb = _colour(colour)
        shape.line.color.rgb = WHITE
        label = slide.shapes.add_textbox(left, top + Emu(int((width - Inches(0.3)) / 2)), height, Inches(0.3))
        label.text_frame.text = short_names.get(code, code)
        paragraph = label.text_frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.CENTER
        paragraph.font.size, paragraph.font.bold = Pt(9), True
        paragraph.font.color.rgb = WHITE if colour in palette.DARK_FILLS else TEXT


def _legend(slide, classes, left, top) -> None:
    """The map's key: a swatch of each class's colour with its exact range, then the keys for areas outside
    the classes (no return, partial return) on a second line."""
    caption = slide.shapes.add_textbox(left, top, Inches(6.6), Inches(0.25))
    caption.text_frame.text = "Arrests in the 4 weeks"
    caption.text_frame.paragraphs[0].font.size = Pt(11)
    rows = [list(zip(classes.colours, classes.labels, strict=True)), list(classes.keys[:2])]
    for line, entries in enumerate(rows):
        step = Inches(1.05) if line == 0 else Inches(2.6)
        for index, (colour, label) in enumerate(entries):
            x, y = left + step * index, top + Inches(0.28) + Inches(0.27) * line
            swatch = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y + Inches(0.03), Inches(0.25), Inches(0.17))
            swatch.fill.solid()
            swatch.fill.fore_color.rgb = _colour(colour)
            swatch.line.color.rgb = GREY
            text = slide.shapes.add_textbox(x + Inches(0.27), y - Inches(0.04), step - Inches(0.3), Inches(0.25))
            text.text_frame.text = label
            text.text_frame.paragraphs[0].font.size = Pt(10)


def _trends(deck, briefing, marking, week) -> None:
    trends = briefing.trends
    slide = _slide(deck, "Arrests and charges, last 26 weeks", marking, briefing.year_on_year)
    weeks = [pd.Timestamp(day).date() for day in trends["week_ending"]]
    measured = {"OIC arrests": trends["arrests"], "OIC charges": trends["charges"]}
    # the release for wider circulation holds no week before its 52: no line for last year then
    last_year = (
        {}
        if trends["arrests_last_year"].isna().all()
        else {"Arrests, same week last year": trends["arrests_last_year"]}
    )
    control = briefing.control("oic_arrests")
    lines, drawn = trend_lines(weeks, measured, briefing.provisional)
    marks = control_lines(weeks, control, measure("oic_arrests"), judged=briefing.provisional is None)
    chart = _line_chart(
        slide,
        _short_dates(trends["week_ending"]),
        {**lines, **last_year, **{name: values for name, (values, _) in marks.items()}},
        Inches(0.5),
        Inches(1.4),
        Inches(12.3),
        Inches(4.8),
    )
    _style_drawn(chart, {**drawn, **{name: style for name, (_, style) in marks.items()}})
    chart.legend.position = XL_LEGEND_POSITION.RIGHT  # eight lines named: beside the plot, which keeps its height
    said = [briefing.year_on_year] + ([limits_caption("OIC arrests", control)] if control else [])
    _bullets(slide, said, Inches(0.5), Inches(6.2), Inches(12.3), Inches(0.7), size=14)


# How a series beside the measures is drawn on a native chart: (role, colour); the roles are styled in _style_drawn
MEASURE_ROLE, MEAN_ROLE, LIMIT_ROLE, HIDDEN_LIMIT_ROLE = "measure", "mean", "limit", "limit2"
SPECIAL_ROLE, PROVISIONAL_ROLE = "special", "prov"


def trend_lines(
    weeks: list, measured: dict[str, pd.Series], provisional: tuple[object, str] | None
) -> tuple[dict[str, list], dict[str, tuple[str, str, Judgement | None]]]:
    """Each measure's weekly values, and, when the last week is provisional, that week taken off the measure's
    line and drawn apart as a series of its own (a hollow point with no line to it, named 'OIC arrests,
    provisional: 28 of 49 returns'): never a cliff at the end of the line."""
    lines: dict[str, list] = {}
    drawn: dict[str, tuple[str, str, Judgement | None]] = {}
    last = len(weeks) - 1
    apart = provisional is not None and last >= 1 and weeks[last] == provisional[0]
    for index, (name, values) in enumerate(measured.items()):
        numbers = [None if pd.isna(value) else float(value) for value in values]
        lines[name] = numbers[:last] + [None] if apart else numbers
        drawn[name] = (MEASURE_ROLE, TREND_COLOURS[index], None)
        if apart and provisional is not None and numbers[last] is not None:
            lines[f"{name}, {provisional[1]}"] = [None] * last + numbers[last:]
            drawn[f"{name}, {provisional[1]}"] = (PROVISIONAL_ROLE, TREND_COLOURS[index], None)
    return lines, drawn


TREND_COLOURS = (palette.NAVY, palette.TEAL)  # the measures on a native chart, as on the screen


def control_lines(
    weeks: list, control: Control | None, item, judged: bool = True
) -> dict[str, tuple[list, tuple[str, str, Judgement | None]]]:
    """The card's own control chart as native series over the chart's weeks: its mean and limits from the
    baseline's first week to the week judged, and each special-cause week by its verdict (none on a
    provisional week, judged on nothing). Empty without a control."""
    if control is None:
        return {}
    first, judged_week = control.span
    inside = [first <= week <= judged_week for week in weeks]  # type: ignore[operator]
    limits_word = POISSON_LIMITS_WORD if control.method == POISSON else LIMITS_WORD

    def across(level: float) -> list:
        return [level if shown else None for shown in inside]

    series = {
        MEAN_WORD: (across(control.mean), (MEAN_ROLE, palette.CONTROL_MEAN, None)),
        limits_word: (across(control.limits.upper), (LIMIT_ROLE, palette.CONTROL_LIMIT, None)),
        f"{limits_word}, lower": (
            across(max(control.limits.lower, 0.0)),
            (HIDDEN_LIMIT_ROLE, palette.CONTROL_LIMIT, None),
        ),
    }
    special = marked_special_causes(control, item, judged)
    for said in MARKED:
        points = {week: value for week, (value, verdict) in special.items() if verdict == said}
        if any(week in points for week in weeks):
            series[said.short()] = (
                [points.get(week) for week in weeks],
                (SPECIAL_ROLE, palette.SPECIAL_CAUSE[said], said),
            )
    return series


SPECIAL_MARKER = {
    Judgement.GOOD: XL_MARKER_STYLE.TRIANGLE,
    Judgement.BAD: XL_MARKER_STYLE.DIAMOND,
    Judgement.NEUTRAL: XL_MARKER_STYLE.SQUARE,
}


def _style_drawn(chart, drawn: dict[str, tuple[str, str, Judgement | None]]) -> None:
    """Draw each series beside the measures as what it is: the mean solid and thin, the limits dashed (the
    lower one left out of the legend), a special cause as a marker of its verdict's shape and colour with no
    line, a provisional week as a hollow point with no line to it."""
    for index, plot_series in enumerate(chart.plots[0].series):
        if plot_series.name not in drawn:
            continue
        role, colour, verdict = drawn[plot_series.name]
        line = plot_series.format.line
        line.color.rgb, line.width = _colour(colour), Pt(2.25 if role == MEASURE_ROLE else 1.5)
        # dotted, as on the screen: a dashed line beside the measures is last year's or a target
        line.dash_style = MSO_LINE_DASH_STYLE.ROUND_DOT if role in (LIMIT_ROLE, HIDDEN_LIMIT_ROLE) else None
        if role == HIDDEN_LIMIT_ROLE:
            _leave_out_of_legend(chart, index)
        if role == SPECIAL_ROLE and verdict is not None:
            line.fill.background()
            _marker(plot_series, SPECIAL_MARKER[verdict], colour, colour)
        if role == PROVISIONAL_ROLE:  # a lighter point standing apart, ringed in its measure's colour: no line
            line.fill.background()  # runs down to it (a renderer that draws no ring still shows it lighter)
            _marker(plot_series, XL_MARKER_STYLE.CIRCLE, palette.LIGHT_BLUE, colour, size=12)


def _marker(plot_series, style, fill: str, edge: str, size: int = 10) -> None:
    plot_series.marker.style, plot_series.marker.size = style, size
    plot_series.marker.format.fill.solid()
    plot_series.marker.format.fill.fore_color.rgb = _colour(fill)
    plot_series.marker.format.line.color.rgb = _colour(edge)
    plot_series.marker.format.line.width = Pt(2)


def _leave_out_of_legend(chart, index: int) -> None:
    """A legend entry deleted (DrawingML's legendEntry, which python-pptx does not set): one 'Limits' entry
    stands for both limits."""
    legend = chart.legend._element
    entry = legend.makeelement(qn("c:legendEntry"), {})
    entry.append(legend.makeelement(qn("c:idx"), {"val": str(index)}))
    entry.append(legend.makeelement(qn("c:delete"), {"val": "1"}))
    legend.find(qn("c:legendPos")).addnext(entry)


def _partnership(deck, briefing, marking, week) -> None:
    table = briefing.partnership
    latest = table.iloc[-1] if not table.empty else None
    lines = (
        []
        if latest is None
        else [
            f"Intelligence packages shared this week: {latest['intel_packages_shared']:,.0f}",
            f"Migrant debrief rate: {format_percent(latest['debrief_rate'])} against a target of "
            f"{format_percent(briefing.debrief_target, 0)}",
            f"Tasking completion over 12 weeks: {format_percent(latest['tasking_completion'])}",
        ]
    )
    slide = _slide(deck, "Partnership, last 12 weeks", marking, "\n".join(lines))
    categories = _short_dates(table["week_ending"])
    control = briefing.control("debrief_rate")
    weeks = [pd.Timestamp(day).date() for day in table["week_ending"]]
    marks = control_lines(weeks, control, measure("debrief_rate"), judged=briefing.provisional is None)
    chart = _line_chart(
        slide,
        categories,
        {
            "Debrief rate": table["debrief_rate"],
            "Tasking completion, 12 weeks": table["tasking_completion"],
            "Debrief target": [briefing.debrief_target] * len(table),
            **{name: values for name, (values, _) in marks.items()},
        },
        Inches(0.5),
        Inches(1.4),
        Inches(7.5),
        Inches(4.8),
        percent=True,
    )
    _style_drawn(chart, {name: style for name, (_, style) in marks.items()})
    said = lines + ([limits_caption("the debrief rate", control)] if control else [])
    _bullets(slide, said, Inches(8.3), Inches(1.6), Inches(4.6), Inches(4.5), size=16)


def _missing(deck, briefing, marking, week) -> None:
    missing = briefing.missing
    summary = briefing.overview.returns_summary
    text = f"Week ending {week}: {findings.returns_words(summary)}; {findings.timeliness_words(summary)}."
    slide = _slide(deck, "Missing returns", marking, text)
    _bullets(slide, [text], Inches(0.5), Inches(1.4), Inches(12.3), Inches(0.6), size=20)
    # up to 49 names fit: in columns of at most 10, four columns across the slide
    columns = max(1, min(4, -(-len(missing) // 10)))
    share = -(-len(missing) // columns) if missing else 0
    width = Inches(12.3 / columns)
    for index, start in enumerate(range(0, len(missing), share or 1)):
        _bullets(
            slide,
            missing[start : start + share],
            Inches(0.5) + width * index,
            Inches(2.1),
            width,
            Inches(4.8),
            size=16 if columns > 2 else 18,
        )


ACTIONS_ROWS = 12  # rows of the actions table on one slide; the rest are counted under it


def _actions(deck, briefing, marking) -> None:
    """The actions agreed at the briefing as a native table: due or overdue first, new, then done since last
    week; every value written as plain text."""
    table = actions.pack_table(briefing.actions)
    slide = _slide(deck, "Actions", marking)
    if table.empty:
        _bullets(
            slide,
            [line for _, lines in actions.slide_sections(briefing.actions) for line in lines],
            Inches(0.5),
            Inches(1.4),
            Inches(12.3),
            Inches(1),
            size=20,
        )
        return
    _table(slide, table.head(ACTIONS_ROWS), Inches(0.5), Inches(1.4), Inches(12.3), size=12)
    shape = next(shape for shape in slide.shapes if shape.has_table)
    for row in range(1, min(len(table), ACTIONS_ROWS) + 1):
        if table.iloc[row - 1]["Status"] == "Overdue":
            shape.table.cell(row, 5).fill.solid()
            shape.table.cell(row, 5).fill.fore_color.rgb = _colour(palette.TINTS[palette.OVERDUE_TINT].background)
    more = len(table) - ACTIONS_ROWS
    other = briefing.actions.other_open if briefing.actions else 0
    notes = ([f"And {more} more on the Weekly briefing page."] if more > 0 else []) + (
        [f"{other} more open, due later."] if other else []
    )
    if notes:
        _bullets(slide, notes, Inches(0.5), HIGH - Inches(1.1), Inches(12.3), Inches(0.5), size=14)
