"""Who may see and change what: roles from a token claim or an allow-list, the page each role needs, and
when a session must end. Plain logic, so it is tested without Streamlit."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ROLES = ("viewer", "analyst", "admin")  # each can do everything the one before it can
DEFAULT_SESSION_HOURS = 12.0


@dataclass(frozen=True)
class AccessPolicy:
    role_claim: str = "roles"
    allow: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> e-mail addresses or @domains
    session_hours: float = DEFAULT_SESSION_HOURS
    allow_anonymous: bool = False


def policy_from(settings: Mapping[str, Any] | None) -> AccessPolicy:
    """The [taskforce_access] section of .streamlit/secrets.toml (every key optional)."""
    settings = settings or {}
    allow = {role: tuple(str(entry).strip().lower() for entry in settings.get(f"{role}s", []) if str(entry).strip())
             for role in ROLES}
    return AccessPolicy(
        role_claim=str(settings.get("role_claim", "roles")),
        allow=allow,
        session_hours=float(settings.get("session_hours", DEFAULT_SESSION_HOURS)),
        allow_anonymous=bool(settings.get("allow_anonymous", False)),
    )


def _rank(role: str | None) -> int:
    return ROLES.index(role) if role in ROLES else -1


def at_least(role: str | None, required: str) -> bool:
    return _rank(role) >= _rank(required)


def _claimed_roles(claims: Mapping[str, Any], claim: str) -> list[str]:
    value = claims.get(claim) or []
    values = [value] if isinstance(value, str) else list(value)
    # Entra ID app roles often carry a prefix ("OIC.Analyst"): the last part names the role.
    return [str(item).split(".")[-1].strip().lower() for item in values]


def _listed(email: str, entry: str) -> bool:
    """An exact address, or '@domain' for that domain and its subdomains (@police.uk takes @kent.police.uk)."""
    if not entry.startswith("@"):
        return email == entry
    domain, listed = email.rpartition("@")[2], entry[1:]
    return "@" in email and (domain == listed or domain.endswith("." + listed))


def _listed_role(email: str, policy: AccessPolicy) -> str | None:
    email = email.strip().lower()
    for role in reversed(ROLES):
        if any(_listed(email, entry) for entry in policy.allow.get(role, ())):
            return role
    return None


def role_for(claims: Mapping[str, Any], policy: AccessPolicy) -> str | None:
    """The highest role the token claims or the allow-list gives; None means no access at all."""
    candidates = [role for role in _claimed_roles(claims, policy.role_claim) if role in ROLES]
    listed = _listed_role(str(claims.get("email") or ""), policy) if claims.get("email_verified", True) else None
    if listed:
        candidates.append(listed)
    return max(candidates, key=_rank) if candidates else None


def session_expired(signed_in_at: float | None, now: float, policy: AccessPolicy) -> bool:
    """True once a sign-in is older than the policy allows (Streamlit's own cookie lasts longer)."""
    return signed_in_at is not None and now - float(signed_in_at) > policy.session_hours * 3600


# The least role each page needs. Pages not listed need a viewer.
PAGE_ROLES = {"returns": "analyst"}


def page_role(page: str) -> str:
    return PAGE_ROLES.get(page, "viewer")
