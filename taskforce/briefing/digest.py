"""The Monday digest and the returns reminders, by e-mail: built from the week's briefing (the overview's own
findings, exceptions first), plain text and HTML (every value escaped), the marking in the subject and at the
top, the one data-up-to date, links to the views, and the issued pack when the recipient's circulation allows
it. Every message sent or refused is recorded in the store (`mail_log`)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from typing import Any

import duckdb
import pandas as pd

from taskforce.briefing import actions, findings
from taskforce.briefing.contents import Briefing
from taskforce.core.formats import format_date
from taskforce.recommendations import overdue
from taskforce.returns import chasing

# Headers on one line up to SMTP's limit: a folded subject reads back with a leading space in some mail readers.
HEADERS_ON_ONE_LINE = policy.SMTP.clone(max_line_length=998)
VIEWS = {
    "Weekly overview": "",
    "Weekly briefing": "briefing",
    "Recommendations": "recommendations",
    "Weekly returns": "returns",
}


@dataclass(frozen=True)
class Recipients:
    """One recipient list of the settings: its name, the role its readers hold, an organisation (or none), and
    whether it is for wider circulation (then it carries only what wider circulation may show)."""

    name: str
    role: str
    addresses: tuple[str, ...]
    organisation: str = ""
    wider_circulation: bool = False

    @property
    def may_have_taskforce_pack(self) -> bool:
        """Only analysts and administrators of a list not for wider circulation get the taskforce's own pack;
        a viewer is never sent a pack marked for a narrower circulation than the wider one."""
        return self.role in ("analyst", "admin") and not self.wider_circulation


def recipient_lists(settings: Mapping[str, Any]) -> list[Recipients]:
    return [
        Recipients(
            str(entry["name"]),
            str(entry["role"]),
            tuple(entry["addresses"]),
            str(entry.get("organisation", "")),
            bool(entry.get("wider_circulation", False)),
        )
        for entry in settings.get("lists", [])
    ]


@dataclass(frozen=True)
class Attachment:
    file_name: str
    content: bytes
    wider_circulation: bool


def pack_for(recipients: Recipients, packs: pd.DataFrame, week: dt.date) -> pd.Series | None:
    """The newest issued pack of the week this list may have: the taskforce's own for its analysts and
    administrators (else the wider one), only a wider one for anyone else."""
    issued = packs[[as_day(day) == week for day in packs["week_ending"]]] if not packs.empty else packs
    allowed = issued if recipients.may_have_taskforce_pack else issued[issued["wider_circulation"].astype(bool)]
    if allowed.empty:
        return None
    ordered = allowed.sort_values(["wider_circulation", "issued_at"], ascending=[True, False])
    return ordered.iloc[0]


def as_day(value) -> dt.date:
    return value.date() if hasattr(value, "date") else value


@dataclass(frozen=True)
class Section:
    heading: str
    lines: list[str]


def digest_sections(briefing: Briefing, recipients: Recipients, chase: pd.DataFrame) -> list[Section]:
    """What the digest says, in order: the findings as on the overview (exceptions first), overdue actions and
    recommendations, returns still missing. Plain words; the HTML escapes every one."""
    said = findings.message(briefing, recipients.wider_circulation)
    as_at = briefing.actions.as_at if briefing.actions else briefing.week_ending
    recs = overdue.with_overdue(briefing.overview.recommendations, as_at)
    late = [
        f"{row.number}. {row.short_title}: overdue by {row.overdue_by}" for row in recs[recs["overdue"]].itertuples()
    ]
    due_actions = briefing.actions.overdue if briefing.actions else pd.DataFrame()
    missing = chase[chase["Return"] == "Missing"]["Organisation"].tolist() if not chase.empty else []
    own = [
        f"Your organisation's return: {str(row.Return).lower()}."
        for row in chase.itertuples()
        if recipients.organisation and row.Organisation == recipients.organisation
    ]
    return [
        Section("Exceptions", [heading.finding for heading in said.exceptions] or ["None this week."]),
        Section("This week's findings", [heading.finding for heading in said.findings]),
        Section("Overdue actions", [actions.action_line(row) for row in due_actions.itertuples()] or ["None."]),
        Section("Overdue recommendations", late or ["None."]),
        Section("Returns still missing", own + ([", ".join(missing)] if missing else ["None."])),
    ]


def links(base_url: str, week: dt.date) -> list[tuple[str, str]]:
    base = base_url.rstrip("/")
    return [
        (label, f"{base}/{path}" + (f"?week={week.isoformat()}" if path == "briefing" else ""))
        for label, path in VIEWS.items()
    ]


def subject(marking: str, what: str) -> str:
    return f"[{marking}] {what}"


def digest_message(
    briefing: Briefing,
    recipients: Recipients,
    chase: pd.DataFrame,
    marking: str,
    settings: Mapping[str, Any],
    attachment: Attachment | None,
) -> EmailMessage:
    week = format_date(briefing.week_ending)
    circulation = " (for wider circulation)" if recipients.wider_circulation else ""
    title = f"OIC Taskforce weekly digest, week ending {week}{circulation}"
    sections = digest_sections(briefing, recipients, chase)
    linked = links(str(settings["base_url"]), briefing.week_ending)
    top = [marking, briefing.data_up_to]
    if briefing.is_demo:
        top.append("Demo data: every figure is synthetic and must not be briefed as police information.")
    if attachment is None:
        top.append("No issued pack for this week is attached for this list.")
    message = _message(subject(marking, title), settings, recipients.addresses)
    message.set_content(_plain(top, sections, linked, marking))
    message.add_alternative(_html(title, top, sections, linked, marking), subtype="html")
    if attachment is not None:
        message.add_attachment(
            attachment.content,
            maintype="application",
            subtype="vnd.openxmlformats-officedocument.presentationml.presentation",
            filename=attachment.file_name,
        )
    return message


def reminder_message(
    org_name: str, contact: str, week: dt.date, marking: str, data_up_to: str, settings: Mapping[str, Any]
) -> EmailMessage:
    title = f"Weekly return for the week ending {format_date(week)} not received"
    lines = [
        marking,
        data_up_to,
        f"The weekly return of {org_name} for the week ending {format_date(week)} had not been received by "
        "the end of the Tuesday after the week ended (London time). Please send it as soon as you can.",
        f"Weekly returns: {str(settings['base_url']).rstrip('/')}/returns",
        marking,
    ]
    message = _message(subject(marking, title), settings, (contact,))
    message.set_content("\n\n".join(lines) + "\n")
    message.add_alternative(
        "<!doctype html><html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>",
        subtype="html",
    )
    return message


def _message(title: str, settings: Mapping[str, Any], to: tuple[str, ...]) -> EmailMessage:
    message = EmailMessage(policy=HEADERS_ON_ONE_LINE)
    message["Subject"], message["From"], message["To"] = title, str(settings["sender"]), ", ".join(to)
    return message


def _plain(top: list[str], sections: list[Section], linked: list[tuple[str, str]], marking: str) -> str:
    parts = ["\n".join(top)]
    parts += [f"{section.heading}\n" + "\n".join(f"- {line}" for line in section.lines) for section in sections]
    parts.append("Views\n" + "\n".join(f"- {label}: {url}" for label, url in linked))
    return "\n\n".join([*parts, marking]) + "\n"


def _html(title: str, top: list[str], sections: list[Section], linked: list[tuple[str, str]], marking: str) -> str:
    escape = html.escape
    body = [
        f"<p><strong>{escape(marking)}</strong></p>",
        f"<h1>{escape(title)}</h1>",
        *(f"<p>{escape(line)}</p>" for line in top[1:]),
    ]
    for section in sections:
        body.append(
            f"<h2>{escape(section.heading)}</h2><ul>"
            + "".join(f"<li>{escape(line)}</li>" for line in section.lines)
            + "</ul>"
        )
    body.append(
        "<h2>Views</h2><ul>"
        + "".join(f'<li><a href="{escape(url, quote=True)}">{escape(label)}</a></li>' for label, url in linked)
        + "</ul>"
    )
    body.append(f"<p><strong>{escape(marking)}</strong></p>")
    return "<!doctype html><html><body>" + "".join(body) + "</body></html>"


def record_outcome(
    con: duckdb.DuckDBPyConnection, prepared: Prepared, outcome: str, answer: str, attempts: int, at: dt.datetime
) -> None:
    """Append what happened to one message (to whom, what, when, the server's answer; for a reminder, the week
    and the organisation it chased)."""
    message = prepared.message
    attached = [part.get_filename() for part in message.iter_attachments()]
    con.cursor().execute(
        """insert into mail_log (attempted_at, kind, recipient, subject, outcome, answer, attempts, attachment,
                                 week_ending, org_code)
           values ($at, $kind, $to, $subject, $outcome, $answer, $attempts, $attachment, $week, $org)""",
        {
            "at": at,
            "kind": prepared.kind,
            "week": prepared.week,
            "org": prepared.org_code or None,
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "outcome": outcome,
            "answer": answer[:1000],
            "attempts": attempts,
            "attachment": attached[0] if attached else None,
        },
    )


def reminders_due(returns: pd.DataFrame, already_sent: pd.DataFrame | None = None) -> pd.DataFrame:
    """The organisations whose return is missing (from returns_for_week): code, name and contact (may be empty),
    less those already sent a reminder for the week (reminders_sent): none is reminded twice of one week."""
    missing = returns[returns["receipt_status"] == "Missing"]
    if already_sent is not None:
        missing = missing[~missing["org_code"].isin(already_sent["org_code"])]
    return pd.DataFrame(
        {
            "org_code": missing["org_code"],
            "org_name": missing["org_name"],
            "contact": missing["returns_contact"].fillna(""),
        }
    )


def chase_table(returns: pd.DataFrame) -> pd.DataFrame:
    return chasing.chase_list(returns)


@dataclass(frozen=True)
class Prepared:
    """A message ready to go (or, with no address to go to, recorded as not sent with the reason)."""

    kind: str
    message: EmailMessage
    not_sent_because: str = ""
    week: dt.date | None = None  # a reminder's week and organisation, logged so it is never sent twice
    org_code: str = ""


def eml_name(number: int, prepared: Prepared) -> str:
    to = "".join(ch if ch.isalnum() or ch in "@.-" else "_" for ch in str(prepared.message["To"]))[:80]
    return f"{number:03d}_{prepared.kind}_{to or 'no_address'}.eml"
