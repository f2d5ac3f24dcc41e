"""The Monday digest for a wider-circulation list, as `digest --dry-run` writes it, read back: every count it
prints is a shown cell of the week's release with that value (and survives the interval attack), every other
number is one of the kinds that are not counts of people (dates, percentages, returns, recommendations, weeks),
and its findings are the release briefing's own, not the taskforce's."""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy
from pathlib import Path

import pytest

from taskforce.briefing import contents, findings
from taskforce.cli import main
from taskforce.core.disclosure import configured_threshold
from taskforce.core.queries import run_query
from taskforce.release.build import build_release
from taskforce.release.universe import FOUR_WEEKS
from tests.attacks import rendered
from tests.attacks.release_cells import inputs_for
from tests.conftest import LATEST_WEEK, copy_of_demo

SECRETS = """[taskforce_mail]
host = "127.0.0.1"
port = 9
sender = "oic-dashboard@police.example"
base_url = "https://oic.example.police.uk"

[[taskforce_mail.lists]]
name = "Home Office"
role = "viewer"
addresses = ["home.office@example.gov.uk"]
wider_circulation = true
"""
MOST_ARRESTS = re.compile(r"^- Most OIC arrests in the 4 weeks: (.+)$", re.MULTILINE)
NAMED_COUNT = re.compile(r"([A-Z][^,()]*?) \(([\d,]+)\)")
# Numbers that are not counts of people, things or events: what is left after these must be tied to a cell.
NOT_COUNTS = [
    r"https?://\S+",
    r"\d{1,2} [A-Z][a-z]{2} \d{4}",  # a date
    r"\d+(\.\d+)?%",
    r"\d+ of \d+ returns( complete)?(: \d+ missing( and \d+ partial)?|: \d+ partial)?",
    r"all \d+ returns complete",
    r"\d+ recommendations? overdue: [\d, and]+",
    r"\d+ actions? overdue: [\d, and]+",  # the briefing's actions by number
    r"follows recommendation \d+",
    r"^- \d+\. ",  # a recommendation's number
    r"overdue by \d+ (days?|weeks?|months?|years?)",
    r"(last|over|in the) \d+ weeks",
    r"\d+ weeks before",
]


@pytest.fixture(scope="module")
def wider_digest(demo_db_template, tmp_path_factory) -> str:
    """The digest sent from a copy of the demo of its own: the session's store may already be open in this
    process, with other settings, by the pages' tests."""
    folder = tmp_path_factory.mktemp("digest")
    store = copy_of_demo(demo_db_template, tmp_path_factory.mktemp("digest_store"))
    secrets = folder / "secrets.toml"
    secrets.write_text(SECRETS)
    outbox = folder / "outbox"
    assert main(["digest", "--db", str(store), "--secrets", str(secrets), "--dry-run", str(outbox)]) == 0
    (written,) = sorted(Path(outbox).glob("*.eml"))
    message = email.message_from_bytes(written.read_bytes(), policy=policy.default)
    assert "(for wider circulation)" in str(message["Subject"])
    return message.get_body(("plain",)).get_content()


def _release(db):
    return build_release(lambda name, params: run_query(db, name, params), configured_threshold(), LATEST_WEEK)


def _facts(text: str, release, names: dict[str, str]) -> list[rendered.Fact]:
    line = MOST_ARRESTS.search(text)
    assert line, "the digest names the forces with most arrests"
    period = (FOUR_WEEKS, release.period("4 weeks").last)
    return [
        ((period, names[name.removeprefix("and ").strip()], "oic_arrests"), float(count.replace(",", "")))
        for name, count in NAMED_COUNT.findall(line.group(1))
    ]


def test_every_count_in_a_wider_digest_is_a_shown_cell_of_the_release(db, wider_digest):
    release = _release(db)
    forces = run_query(db, "map_forces", {})
    names = dict(zip(forces["org_name"], forces["org_code"], strict=True))
    facts = _facts(wider_digest, release, names)
    assert facts, "no count was read back"
    assert rendered.tie(facts, release) == []
    inputs = inputs_for(db, LATEST_WEEK - dt.timedelta(weeks=12), LATEST_WEEK)
    assert rendered.attack(inputs, facts) == {}


def test_a_wider_digest_prints_no_other_count(wider_digest):
    rest = NAMED_COUNT.sub("", wider_digest)
    for pattern in NOT_COUNTS:
        rest = re.sub(pattern, "", rest, flags=re.MULTILINE)
    assert re.findall(r"\d[\d,]*", rest) == [], rest


def test_a_wider_digest_says_the_release_briefing_s_findings(db, wider_digest):
    """The findings of the briefing whose every figure is read from the release, not the taskforce's own (which
    compares with the same weeks a year earlier, outside the release)."""
    runner = lambda name, params: run_query(db, name, params)  # noqa: E731
    wider = contents.build_briefing(
        runner, LATEST_WEEK, contents.current_debrief_target(db), dt.datetime(2026, 12, 1, 7), release=_release(db)
    )
    said = findings.message(wider, True)
    for heading in said.exceptions + said.findings:
        assert f"- {heading.finding}" in wider_digest
    assert "last year" not in wider_digest
