"""Sending mail through the force's relay: SMTP with STARTTLS (never plain), credentials from the secrets file,
a failed send tried once more. The settings ([taskforce_mail] in .streamlit/secrets.toml) are checked for their
kind before anything is sent, as the access settings are (core/access.py)."""

from __future__ import annotations

import smtplib
import ssl
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from taskforce.core.access import ROLES, _kind_of

SECRETS_FILE = Path(".streamlit/secrets.toml")
ATTEMPTS = 2  # a failed send is retried once


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) and "@" in item for item in value)


def _port(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535


MAIL_SETTINGS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "host": ("the relay's host name, in quotes", _text),
    "port": ("a port number from 1 to 65535, without quotes", _port),
    "username": ("a text in quotes", lambda value: isinstance(value, str)),
    "password": ("a text in quotes", lambda value: isinstance(value, str)),
    "sender": ("an e-mail address in quotes", lambda value: isinstance(value, str) and "@" in value),
    "base_url": (
        "the dashboard's address, in quotes, starting https:// or http://",
        lambda value: isinstance(value, str) and value.startswith(("https://", "http://")),
    ),
    "ca_file": ("the path of the relay's certificate authority, in quotes", _text),
    "lists": ("a list of [[taskforce_mail.lists]] tables", lambda value: isinstance(value, list)),
}
LIST_SETTINGS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "name": ("a text in quotes", _text),
    "role": (f"one of {', '.join(ROLES)}, in quotes", lambda value: value in ROLES),
    "organisation": ("an organisation's code, in quotes", _text),
    "addresses": ("a list of e-mail addresses in quotes", _texts),
    "wider_circulation": ("true or false, without quotes (a TOML boolean)", lambda value: isinstance(value, bool)),
}
REQUIRED = ("host", "port", "sender", "base_url")


def _section_problem(where: str, settings: Mapping[str, Any], known: dict) -> str | None:
    for key, value in settings.items():
        if key not in known:
            return f"{where} {key} in .streamlit/secrets.toml is not a setting; the settings are {', '.join(known)}."
        kind, fits = known[key]
        if not fits(value):
            return f"{where} {key} in .streamlit/secrets.toml must be {kind}; it is {_kind_of(value)}."
    return None


def mail_settings_problem(settings: Mapping[str, Any] | None) -> str | None:
    """What is wrong with [taskforce_mail], as a sentence naming the key (never a value); None when nothing is."""
    if settings is None:
        return "There is no [taskforce_mail] section in .streamlit/secrets.toml: nothing can be sent."
    if not isinstance(settings, Mapping):
        return f"taskforce_mail in .streamlit/secrets.toml must be a section; it is {_kind_of(settings)}."
    problem = _section_problem("[taskforce_mail]", settings, MAIL_SETTINGS)
    missing = [key for key in REQUIRED if key not in settings]
    if problem or missing:
        return problem or f"[taskforce_mail] in .streamlit/secrets.toml needs {', '.join(missing)}."
    for number, entry in enumerate(settings.get("lists", []), start=1):
        where = f"[[taskforce_mail.lists]] number {number}:"
        if not isinstance(entry, Mapping):
            return f"{where} must be a table; it is {_kind_of(entry)}."
        problem = _section_problem(where, entry, LIST_SETTINGS)
        if problem or not {"name", "role", "addresses"} <= set(entry):
            return problem or f"{where} needs name, role and addresses."
    return None


def read_mail_settings(path: Path = SECRETS_FILE) -> Mapping[str, Any] | None:
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return tomllib.load(handle).get("taskforce_mail")


@dataclass(frozen=True)
class Outcome:
    sent: bool
    answer: str  # the server's answer, or why it could not be reached
    attempts: int


def _context(settings: Mapping[str, Any]) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.get("ca_file"):
        context.load_verify_locations(cafile=str(settings["ca_file"]))
    return context


def _once(message: EmailMessage, settings: Mapping[str, Any]) -> str:
    with smtplib.SMTP(str(settings["host"]), int(settings["port"]), timeout=60) as server:
        server.ehlo()
        server.starttls(context=_context(settings))  # refuses to go on without TLS
        server.ehlo()
        if settings.get("username"):
            server.login(str(settings["username"]), str(settings.get("password", "")))
        refused = server.send_message(message)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
        code, words = server.noop()
    return f"{code} {words.decode(errors='replace')}".strip()


def send(message: EmailMessage, settings: Mapping[str, Any]) -> Outcome:
    """Send one message; a failure is tried once more. The outcome carries the server's last answer."""
    answer = ""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return Outcome(True, _once(message, settings) or "250 accepted", attempt)
        except (smtplib.SMTPException, OSError) as failure:
            answer = _answer(failure)
    return Outcome(False, answer, ATTEMPTS)


def _answer(failure: Exception) -> str:
    if isinstance(failure, smtplib.SMTPResponseException):
        return f"{failure.smtp_code} {failure.smtp_error.decode(errors='replace')}"
    if isinstance(failure, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {words.decode(errors='replace')}" for code, words in failure.recipients.values())
    return f"{type(failure).__name__}: {failure}"
