"""Every method behind a figure, in plain words, written once: About the data shows them, and the pack's
speaker notes and the pages' captions quote them."""

from __future__ import annotations

from taskforce.analysis import cohorts, force_profile, funnel, ports, revisions, similar, variation, what_changed
from taskforce.analysis.headlines import AVERAGE_WEEKS, COMPLETE_FOR_HEADLINES, PERIOD_RATE_WEEKS

STOCK_CARRY_WEEKS = 8  # as in the org_week_figure view (migration 007)

METHODS: list[tuple[str, str]] = [
    (
        "Complete weeks first",
        f"A return is complete when it covers every measure the organisation reports each week; one covering only "
        f"some is shown as partial. A week is headlined only when at least {COMPLETE_FOR_HEADLINES:.0%} of the "
        "expected returns are complete. A newer week can be chosen, and is then labelled 'Provisional: x of y "
        "returns': its figures will rise as returns arrive, so no change in it is called good or bad.",
    ),
    ("Revisions", revisions.REVISIONS_METHOD),
    (
        "Stocks carried forward",
        f"A stock (crime groups mapped, graded high priority, officers trained) counts each organisation's latest "
        f"returned value. When an organisation misses a return, its last value is carried forward for up to "
        f"{STOCK_CARRY_WEEKS} weeks and flagged as carried, so a missing return never reads as a fall; after that "
        "it is no longer counted.",
    ),
    ("Normal variation", variation.METHOD),
    ("Seasonality", variation.SEASONALITY_METHOD),
    (
        "Changes and small numbers",
        f"Changes are given in the measure's own unit. A percentage change is given only on a base of at least "
        f"{variation.SMALL_BASE}: from 2 to 8 is '+6', not '+300%'. Rates change in percentage points.",
    ),
    (
        "Rates over a period",
        f"A rate over several weeks is the ratio of the sums (the weeks' charges over the weeks' arrests), never an "
        f"average of weekly rates. The charge rate and tasking completion, whose parts lag each other (a charge "
        f"follows an arrest by weeks), are headlined over {PERIOD_RATE_WEEKS} weeks and compared with the "
        f"{PERIOD_RATE_WEEKS} weeks before. A rate above 100% says why: charges in a period can follow arrests "
        "made before it.",
    ),
    (
        "Year on year",
        "The latest 12 complete weeks against the same 12 weeks a year (52 weeks) earlier, counting only weeks with "
        "returns in both years, so a missing return never reads as a fall. A dated event inside either period is "
        "named, and an operation of up to 8 weeks is left out of both years for a second figure without it. Limits: "
        "a year-on-year change is not tested against chance, and a change in how forces record arrests moves it.",
    ),
    ("The charge rate of a cohort", cohorts.COHORT_METHOD),
    ("Funnel plots", funnel.FUNNEL_METHOD),
    ("Force statements and false discoveries", what_changed.FORCE_STATEMENT_METHOD),
    ("What stands out on a force's profile", force_profile.STANDS_OUT_METHOD),
    ("Most similar forces (computed, not official)", similar.SIMILARITY_METHOD),
    ("Rates over 100%", funnel.OVER_100_METHOD),
    ("The ports test", ports.PORT_METHOD),
    ("The ports table for wider circulation", ports.PORTS_WIDER_METHOD),
    (
        "Averages",
        f"The {AVERAGE_WEEKS}-week average is the mean of the {AVERAGE_WEEKS} weeks before the week shown; the "
        "rolling 4-week figure on trend charts is the mean of four weeks for a count and the ratio of their sums "
        "for a rate.",
    ),
]
