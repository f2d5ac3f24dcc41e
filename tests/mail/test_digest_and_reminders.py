"""The digest and the reminders delivered to a real SMTP server on this machine (aiosmtpd), over STARTTLS with a
certificate made here: what it received (subject, marking, links, attachment), that a viewer is sent no pack
marked for a narrower circulation, that a failed send is retried once and recorded, and that --dry-run DIR
writes the same messages to files and sends nothing."""

from __future__ import annotations

import datetime as dt
import email
import ipaddress
import socket
import ssl
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from taskforce.cli import main
from taskforce.core import mail
from taskforce.core.db import connect
from tests.conftest import LATEST_WEEK

MARKING = "OFFICIAL-SENSITIVE"
BOUNCING = "bounce@police.example"


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "relay.pem", folder / "relay.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


class Relay:
    """Keeps what it received; refuses BOUNCING every time, and counts the attempts."""

    def __init__(self) -> None:
        self.received: list[email.message.EmailMessage] = []
        self.refused_attempts = 0
        self.tls_seen: list[bool] = []

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address == BOUNCING:
            self.refused_attempts += 1
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.tls_seen.append(session.ssl is not None)
        self.received.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def relay(tmp_path):
    cert_file, key_file = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    handler, port = Relay(), _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    controller.start()
    yield handler, port, cert_file
    controller.stop()


def _secrets(tmp_path: Path, port: int, ca_file: Path, extra: str = "") -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(f"""[taskforce_mail]
host = "127.0.0.1"
port = {port}
sender = "oic-dashboard@police.example"
base_url = "https://oic.example.police.uk"
ca_file = "{ca_file}"

[[taskforce_mail.lists]]
name = "Analysts"
role = "analyst"
addresses = ["analysts@oic.police.example"]

[[taskforce_mail.lists]]
name = "Chief officers"
role = "viewer"
addresses = ["chiefs@police.example"]
{extra}""")
    return path


@pytest.fixture
def issued(writable_db_path, monkeypatch):
    """The store with the week's taskforce pack issued (the narrower circulation)."""
    monkeypatch.setenv("TASKFORCE_MARKING", MARKING)
    assert main(["export-briefing", "--week", LATEST_WEEK.isoformat(), "--issue", "--db", str(writable_db_path)]) == 0
    return writable_db_path


def _log(path: Path) -> list[tuple]:
    con = connect(path)
    try:
        return con.execute(
            "select recipient, outcome, attempts, answer, attachment from mail_log order by mail_id"
        ).fetchall()
    finally:
        con.close()


def _digest(store: Path, secrets: Path, *extra: str) -> int:
    return main(["digest", "--week", LATEST_WEEK.isoformat(), "--db", str(store), "--secrets", str(secrets), *extra])


def test_the_digest_arrives_with_the_marking_the_date_the_links_and_the_pack_for_analysts_only(relay, issued, tmp_path):
    handler, port, ca_file = relay
    assert _digest(issued, _secrets(tmp_path, port, ca_file)) == 0
    assert handler.tls_seen == [True, True]  # every message over STARTTLS
    by_address = {str(message["To"]): message for message in handler.received}
    analysts, chiefs = by_address["analysts@oic.police.example"], by_address["chiefs@police.example"]
    for message in (analysts, chiefs):
        assert str(message["Subject"]).startswith(f"[{MARKING}] OIC Taskforce weekly digest, week ending 22 Nov")
        text = message.get_body(("plain",)).get_content()
        assert text.startswith(MARKING) and text.rstrip().endswith(MARKING)
        assert "Data up to week ending 22 Nov 2026" in text
        assert "https://oic.example.police.uk/briefing?week=2026-11-22" in text
        assert "Exceptions" in text and "Returns still missing" in text
        page = message.get_body(("html",)).get_content()
        assert f"<strong>{MARKING}</strong>" in page and 'href="https://oic.example.police.uk/returns"' in page
    attached = [part.get_filename() for part in analysts.iter_attachments()]
    assert attached == ["oic_briefing_week_ending_2026-11-22_issue_1.pptx"]
    assert list(chiefs.iter_attachments()) == []  # a viewer never gets the taskforce's narrower pack
    assert [(row[1], row[2]) for row in _log(issued)] == [("sent", 1), ("sent", 1)]


def test_a_refused_send_is_retried_once_and_recorded_with_the_servers_answer(relay, issued, tmp_path):
    handler, port, ca_file = relay
    bouncing = f"""
[[taskforce_mail.lists]]
name = "Gone"
role = "viewer"
addresses = ["{BOUNCING}"]
"""
    assert _digest(issued, _secrets(tmp_path, port, ca_file, bouncing)) == 1
    assert handler.refused_attempts == 2  # tried, then tried once more
    refused = [row for row in _log(issued) if row[0] == BOUNCING]
    assert len(refused) == 1 and refused[0][1] == "refused" and refused[0][2] == 2
    assert "550" in refused[0][3]


def test_typed_text_is_escaped_in_the_html(relay, issued, tmp_path):
    handler, port, ca_file = relay
    assert (
        main(
            [
                "actions",
                "--db",
                str(issued),
                "add",
                "--what",
                "<script>alert(1)</script>",
                "--owner",
                "kent",
                "--role",
                "DCI",
                "--due",
                "2026-11-16",
                "--week",
                "2026-11-15",
            ]
        )
        == 0
    )
    assert _digest(issued, _secrets(tmp_path, port, ca_file)) == 0
    page = handler.received[0].get_body(("html",)).get_content()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_dry_run_writes_the_same_messages_and_sends_nothing(relay, issued, tmp_path):
    handler, port, ca_file = relay
    folder = tmp_path / "outbox"
    assert _digest(issued, _secrets(tmp_path, port, ca_file), "--dry-run", str(folder)) == 0
    assert handler.received == [] and _log(issued) == []
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 2
    written = [email.message_from_bytes(file.read_bytes(), policy=policy.default) for file in files]
    assert all(str(message["Subject"]).startswith(f"[{MARKING}]") for message in written)


def _missing_returns(con) -> list[tuple[str, str]]:
    """The organisations (code, name) whose return for the demo's latest week is missing, by name."""
    return con.execute(
        "select o.code, o.name from org o where o.expected_to_return and not exists (select 1 from "
        "org_week_receipt r where r.org_code = o.code and r.week_ending = $week) order by o.name",
        {"week": LATEST_WEEK},
    ).fetchall()


def test_reminders_go_to_the_returns_contact_of_each_missing_return(relay, writable_db_path, tmp_path, monkeypatch):
    handler, port, ca_file = relay
    monkeypatch.setenv("TASKFORCE_MARKING", MARKING)
    from taskforce.store import writing

    with writing.writing(writable_db_path) as con:
        missing = _missing_returns(con)
        assert missing, "the demo's latest week has missing returns"
        con.execute(
            "update org set returns_contact = 'returns@force.example' where code = $code", {"code": missing[0][0]}
        )
    assert main(["remind", "--db", str(writable_db_path), "--secrets", str(_secrets(tmp_path, port, ca_file))]) == 1
    assert [str(message["To"]) for message in handler.received] == ["returns@force.example"]
    text = handler.received[0].get_body(("plain",)).get_content()
    assert str(handler.received[0]["Subject"]).startswith(f"[{MARKING}] Weekly return for the week ending 22 Nov")
    assert missing[0][1] in text and text.startswith(MARKING)
    outcomes = {row[1] for row in _log(writable_db_path)}
    assert outcomes == {"sent", "not sent"}  # the others have no contact: recorded as not sent, with why


def test_a_reminder_is_not_sent_again_for_the_same_week_to_the_same_organisation(
    relay, writable_db_path, tmp_path, monkeypatch, capsys
):
    """Run twice (a timer fires again, someone reruns it): the second run sends nothing to an organisation already
    reminded of the week, as the mail log records it; one whose first send was refused is tried again."""
    handler, port, ca_file = relay
    from taskforce.store import writing

    with writing.writing(writable_db_path) as con:
        missing = _missing_returns(con)[:2]
        assert len(missing) == 2, "the demo's latest week has two missing returns"
        for code, contact in zip([code for code, _ in missing], ["returns0@force.example", BOUNCING], strict=True):
            con.execute("update org set returns_contact = $to where code = $code", {"to": contact, "code": code})
    secrets = _secrets(tmp_path, port, ca_file)
    main(["remind", "--db", str(writable_db_path), "--secrets", str(secrets)])
    assert [str(message["To"]) for message in handler.received] == ["returns0@force.example"]
    with writing.writing(writable_db_path) as con:  # the refused one's contact mended
        con.execute(
            "update org set returns_contact = 'returns1@force.example' where code = $code", {"code": missing[1][0]}
        )
    handler.received = []
    main(["remind", "--db", str(writable_db_path), "--secrets", str(secrets)])
    assert [str(message["To"]) for message in handler.received] == ["returns1@force.example"]  # not returns0 again
    assert f"not sent again: {missing[0][0]}" in capsys.readouterr().out
    con = connect(writable_db_path)
    try:
        sent = con.execute(
            "select org_code, week_ending from mail_log where kind = 'reminder' and outcome = 'sent' order by mail_id"
        ).fetchall()
    finally:
        con.close()
    assert sent == [(missing[0][0], LATEST_WEEK), (missing[1][0], LATEST_WEEK)]


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"host": "relay", "port": "25", "sender": "a@b", "base_url": "https://x"}, "port"),
        (
            {
                "host": "relay",
                "port": 25,
                "sender": "a@b",
                "base_url": "https://x",
                "lists": [{"name": "x", "role": "chief", "addresses": ["a@b"]}],
            },
            "role",
        ),
        (
            {
                "host": "relay",
                "port": 25,
                "sender": "a@b",
                "base_url": "https://x",
                "lists": [{"name": "x", "role": "viewer", "addresses": ["a@b"], "wider_circulation": "true"}],
            },
            "TOML boolean",
        ),
        ({"host": "relay", "port": 25, "sender": "a@b"}, "needs base_url"),
    ],
)
def test_settings_of_the_wrong_kind_are_refused_by_name(settings, words):
    assert words in (mail.mail_settings_problem(settings) or "")


def test_a_reminder_of_last_week_does_not_stop_this_week_s(relay, writable_db_path, tmp_path, monkeypatch):
    """The mail log holds an organisation's reminder week by week: one sent for the week before is no reason not
    to remind it of this week's missing return."""
    handler, port, ca_file = relay
    from taskforce.store import writing

    with writing.writing(writable_db_path) as con:
        (code, _name), *_ = _missing_returns(con)
        con.execute("update org set returns_contact = 'returns@force.example' where code = $code", {"code": code})
    secrets = _secrets(tmp_path, port, ca_file)
    main(["remind", "--db", str(writable_db_path), "--secrets", str(secrets)])
    assert [str(message["To"]) for message in handler.received] == ["returns@force.example"]
    with writing.writing(writable_db_path) as con:  # as if that reminder had been of the week before
        con.execute(
            "update mail_log set week_ending = week_ending - interval 7 day where kind = 'reminder' and org_code = $c",
            {"c": code},
        )
    handler.received = []
    main(["remind", "--db", str(writable_db_path), "--secrets", str(secrets)])
    assert [str(message["To"]) for message in handler.received] == ["returns@force.example"]
