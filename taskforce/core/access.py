"""Who may see and change what: roles from a token claim or an allow-list, the page each role needs, and
when a session must end. Plain logic, so it is tested without Streamlit."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ROLES = ("viewer", "analyst", "admin")  # each can do everything the one before it can
DEFAULT_SESSION_HOURS = 12.0


@dataclass(frozen=True)
class AccessPolicy:
    role_claim: str = "roles"
    # role -> entries: a verified e-mail address, "@domain" (verified addresses there), "oid:<object id>" (the
    # stable identifier Microsoft Entra ID gives an account) or "preferred_username:<name>".
    allow: dict[str, tuple[str, ...]] = field(default_factory=dict)
    session_hours: float = DEFAULT_SESSION_HOURS
    allow_anonymous: bool = False
    # role -> the values of the role claim that give it, matched exactly (Entra ID app roles such as
    # "OIC.Analyst" are listed as they are; no part of a value is guessed at).
    role_names: dict[str, tuple[str, ...]] = field(default_factory=lambda: {role: (role,) for role in ROLES})
    # organisation code -> the entries (as in `allow`) of the accounts that belong to it: who may update the
    # briefing's actions their organisation owns, whatever their role.
    organisations: dict[str, tuple[str, ...]] = field(default_factory=dict)


class SettingsError(ValueError):
    """A setting of .streamlit/secrets.toml that is not of its kind: the server does not start, no page runs."""


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


MIN_SESSION_HOURS, MAX_SESSION_HOURS = 0.25, 744.0  # a quarter of an hour, 31 days


def _organisation_lists(value: Any) -> bool:
    """A table of organisation codes, each a list of texts."""
    return isinstance(value, Mapping) and all(
        isinstance(code, str) and _texts(entries) for code, entries in value.items()
    )


def _hours(value: Any) -> bool:
    """A finite number of hours a session may last: never inf (no end) nor a moment (no session at all)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and MIN_SESSION_HOURS <= value <= MAX_SESSION_HOURS
    )


# Every setting of [taskforce_access]: the kind of TOML value it must be, in words, and the test of it. A
# boolean must be a TOML boolean: the text "false" would be true to Python, and open a live database to anyone.
ACCESS_SETTINGS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "allow_anonymous": ("true or false, without quotes (a TOML boolean)", lambda value: isinstance(value, bool)),
    "session_hours": (f"a number of hours from {MIN_SESSION_HOURS} to {MAX_SESSION_HOURS:.0f}, without quotes", _hours),
    "role_claim": ("the name of a claim, in quotes", lambda value: isinstance(value, str) and bool(value.strip())),
    **{f"{role}s": ("a list of texts in quotes", _texts) for role in ROLES},
    **{f"{role}_role_names": ("a list of texts in quotes", _texts) for role in ROLES},
    "organisations": (
        "a table of organisation codes, each a list of texts in quotes (organisations = { kent = "
        '["@kent.police.uk"] })',
        _organisation_lists,
    ),
}


def _kind_of(value: Any) -> str:
    """What a TOML value is, in words (never the value itself: a list may hold people's addresses)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a text in quotes"
    if isinstance(value, int | float):
        return "a number"
    return "a list" if isinstance(value, list) else "a table" if isinstance(value, Mapping) else "something else"


def access_settings_problem(settings: Mapping[str, Any] | None) -> str | None:
    """What is wrong with the [taskforce_access] section, as a sentence naming the key; None when nothing is."""
    if settings is None:
        return None
    if not isinstance(settings, Mapping):
        return (
            f"taskforce_access in .streamlit/secrets.toml must be a section ([taskforce_access]); it is "
            f"{_kind_of(settings)}."
        )
    for key, value in settings.items():
        if key not in ACCESS_SETTINGS:
            return (
                f"[taskforce_access] {key} in .streamlit/secrets.toml is not a setting of the dashboard (a "
                f"misspelt one would be ignored); the settings are {', '.join(ACCESS_SETTINGS)}."
            )
        kind, fits = ACCESS_SETTINGS[key]
        if not fits(value):
            return f"[taskforce_access] {key} in .streamlit/secrets.toml must be {kind}; it is {_kind_of(value)}."
    return None


def policy_from(settings: Mapping[str, Any] | None) -> AccessPolicy:
    """The [taskforce_access] section of .streamlit/secrets.toml (every key optional). A setting that is not of
    its kind raises SettingsError, naming it: nothing is guessed."""
    problem = access_settings_problem(settings)
    if problem:
        raise SettingsError(problem)
    settings = settings or {}
    allow = {
        role: tuple(str(entry).strip().lower() for entry in settings.get(f"{role}s", []) if str(entry).strip())
        for role in ROLES
    }
    return AccessPolicy(
        role_claim=str(settings.get("role_claim", "roles")),
        allow=allow,
        session_hours=float(settings.get("session_hours", DEFAULT_SESSION_HOURS)),
        allow_anonymous=settings.get("allow_anonymous", False) is True,
        role_names={role: tuple(str(name) for name in settings.get(f"{role}_role_names", [role])) for role in ROLES},
        organisations={
            str(code).strip().lower(): tuple(str(entry).strip().lower() for entry in entries if str(entry).strip())
            for code, entries in (settings.get("organisations") or {}).items()
        },
    )


def _rank(role: str | None) -> int:
    return ROLES.index(role) if role in ROLES else -1


def at_least(role: str | None, required: str) -> bool:
    return _rank(role) >= _rank(required)


def _claimed_roles(claims: Mapping[str, Any], policy: AccessPolicy) -> list[str]:
    """The roles whose configured names the token's role claim carries, each matched exactly."""
    value = claims.get(policy.role_claim) or []
    values = {str(item) for item in ([value] if isinstance(value, str) else list(value))}
    return [role for role in ROLES if values & set(policy.role_names.get(role, ()))]


IDENTIFIER_CLAIMS = ("oid", "preferred_username")


def _verified_email(claims: Mapping[str, Any]) -> str:
    """The e-mail address, only when the token says it is verified: a token without `email_verified` (as
    Entra ID's usually are) proves nothing about the address, which a user may be able to set."""
    verified = claims.get("email_verified")
    if verified is True or (isinstance(verified, str) and verified.lower() == "true"):
        return str(claims.get("email") or "").strip().lower()
    return ""


def _listed(claims: Mapping[str, Any], entry: str) -> bool:
    """Whether an allow-list entry names this account: 'oid:…' or 'preferred_username:…' exactly; else an
    exact verified address, or '@domain' for verified addresses in that domain and its subdomains
    (@police.uk takes @kent.police.uk)."""
    kind, _, value = entry.partition(":")
    if kind in IDENTIFIER_CLAIMS and value:
        return str(claims.get(kind) or "").strip().lower() == value.strip()
    email = _verified_email(claims)
    if not email:
        return False
    if not entry.startswith("@"):
        return email == entry
    domain, listed = email.rpartition("@")[2], entry[1:]
    return domain == listed or domain.endswith("." + listed)


def _listed_role(claims: Mapping[str, Any], policy: AccessPolicy) -> str | None:
    for role in reversed(ROLES):
        if any(_listed(claims, entry) for entry in policy.allow.get(role, ())):
            return role
    return None


def role_for(claims: Mapping[str, Any], policy: AccessPolicy) -> str | None:
    """The highest role the token claims or the allow-list gives; None means no access at all."""
    candidates = _claimed_roles(claims, policy)
    listed = _listed_role(claims, policy)
    if listed:
        candidates.append(listed)
    return max(candidates, key=_rank) if candidates else None


def organisation_for(claims: Mapping[str, Any], policy: AccessPolicy) -> str | None:
    """The organisation this account belongs to, by the [taskforce_access] organisations lists; None when no
    list names it, or when more than one does (nothing is guessed)."""
    named = [code for code, entries in policy.organisations.items() if any(_listed(claims, e) for e in entries)]
    return named[0] if len(named) == 1 else None


def may_update_action(role: str | None, organisation: str | None, owner_org: str) -> bool:
    """The owner or an analyst updates an action's status (issue 28): analysts and administrators any action, a
    signed-in user of any role the actions their organisation owns."""
    return at_least(role, "analyst") or (role is not None and organisation is not None and organisation == owner_org)


def session_expired(signed_in_at: float | None, now: float, policy: AccessPolicy) -> bool:
    """True once a sign-in is older than the policy allows (Streamlit's own cookie lasts longer)."""
    return signed_in_at is not None and now - float(signed_in_at) > policy.session_hours * 3600


# The least role each page needs. Pages not listed need a viewer.
PAGE_ROLES = {"returns": "analyst"}


def page_role(page: str) -> str:
    return PAGE_ROLES.get(page, "viewer")


def sign_in_key(claims: Mapping[str, Any]) -> tuple[str, int] | None:
    """A sign-in, as a sign-out records it: the ID token's subject (else the e-mail) and the time it was issued.
    None when the token carries neither, or no readable issue time."""
    subject, issued = claims.get("sub") or claims.get("email"), claims.get("iat")
    if not subject or not issued:
        return None
    try:
        return str(subject), int(float(str(issued)))
    except ValueError:
        return None


def may_fetch_file(
    claims: Mapping[str, Any] | None,
    policy: AccessPolicy,
    now: float,
    signed_out: Callable[[str, int], bool],
    required: str | None,
) -> bool:
    """Whether a request carrying these sign-in claims (None: no valid sign-in cookie) may have a file that a page
    needing the `required` role made (None: a file no page of ours made). The sign-in must be current (within
    the policy's hours of the token's issue), not signed out, and of that role or above."""
    key = sign_in_key(claims) if claims and claims.get("is_logged_in") is True else None
    if key is None or required is None:
        return False
    if session_expired(key[1], now, policy) or signed_out(*key):
        return False
    return at_least(role_for(claims or {}, policy), required)
