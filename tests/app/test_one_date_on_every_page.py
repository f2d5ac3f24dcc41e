"""One "data up to" date on every page, whatever the clock says. On a demo built as of Monday 23 Nov 2026 the
returns reach the week ending 22 Nov (provisional: most of its returns are not in) and the latest complete week
ends 15 Nov; the clock is days later. Before, each page had its own "now": the overview 15 Nov, the sidebar
22 Nov, Weekly returns the clock's last week, the force matrix and the recommendations the clock's today."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from streamlit.testing.v1 import AppTest

from taskforce.core.db import connect
from taskforce.core.formats import format_date
from taskforce.core.queries import run_query
from taskforce.demo.build import build_demo_database
from taskforce.release.position import position_from
from tests.conftest import PROJECT_ROOT

MONDAY = dt.date(2026, 11, 23)
PAGES = [
    ("overview", {}),
    ("briefing", {}),
    ("briefing", {"slide": "3"}),
    ("recommendations", {}),
    ("recommendations", {"view": "Force matrix"}),
    ("recommendations", {"view": "Recommendation", "rec": "7"}),
    ("regional", {"force": "kent"}),
    ("force", {"force": "kent"}),
    ("force", {"rocu": "ersou"}),
    ("trends", {}),
    ("partnership", {}),
    ("returns", {}),
    ("about", {}),
]
# A date said to be "now": what the data is as at, up to, or stood at.
AS_AT = re.compile(
    r"(?:as at|as of|stood at|data taken|up to week ending|returns to week ending|on or before)\s+"
    r"(\d{1,2} [A-Z][a-z]{2} \d{4})",
    re.IGNORECASE,
)
TEXT_KINDS = ("title", "header", "subheader", "markdown", "caption", "text", "warning", "info", "success", "error")


@pytest.fixture(scope="module")
def monday_store(tmp_path_factory):
    path = build_demo_database(tmp_path_factory.mktemp("monday") / "taskforce.duckdb", as_of=MONDAY).path
    path.chmod(0o640)
    con = connect(path)
    try:
        position = position_from(run_query(con, "reporting_weeks", {}))
    finally:
        con.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TASKFORCE_DB", str(path))
        yield position


def _texts(at: AppTest) -> list[str]:
    """Every sentence on the page, main and sidebar, without Markdown's escapes."""
    values = [str(element.value) for kind in TEXT_KINDS for element in getattr(at, kind)]
    return [value.replace("\\", "") for value in values]


def _run(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_the_monday_demo_has_a_provisional_week_after_the_latest_complete_one(monday_store):
    assert monday_store.data_up_to == dt.date(2026, 11, 22) and monday_store.provisional
    assert monday_store.headline_week() == dt.date(2026, 11, 15)


@pytest.mark.parametrize("page, query", PAGES)
def test_every_page_shows_the_one_data_up_to_sentence_and_no_other_as_at_date(monday_store, page, query):
    at = _run(page, query)
    assert not at.exception, [e.message for e in at.exception]
    texts = _texts(at)
    sentence = monday_store.words()
    assert sentence.startswith("Data up to week ending 22 Nov 2026 (provisional")
    said = sum(text.count(sentence) for text in texts)
    assert said == 1 or (page == "briefing" and said == 2), (said, sentence)  # a title slide says it too
    data_up_to, clock = format_date(monday_store.data_up_to), format_date(dt.date.today())
    for text in texts:
        for date in AS_AT.findall(text):
            assert date == data_up_to, (page, query, text)
        # the clock's date appears only as the moment the snapshot was published, never as "now" for the data
        assert clock not in re.sub(r"published \d{1,2} \w{3} \d{4} \d\d:\d\d", "", text), (page, query, text)
