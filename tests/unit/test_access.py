"""Roles from a token claim or an allow-list, the page each role needs, and the session limit."""

from __future__ import annotations

import tomllib

import pytest

from taskforce.core.access import (
    SettingsError,
    access_settings_problem,
    at_least,
    may_update_action,
    organisation_for,
    page_role,
    policy_from,
    role_for,
    session_expired,
)
from tests.conftest import PROJECT_ROOT

POLICY = policy_from(
    {
        "role_claim": "roles",
        "session_hours": 12,
        "analyst_role_names": ["OIC.Analyst", "analyst"],
        "admins": ["Chief.Analyst@police.example", "oid:7f0c3b9e-1111-4c2d-9a55-000000000001"],
        "analysts": ["@kent.police.uk", "preferred_username:analyst@essex.police.uk"],
        "viewers": ["@police.uk"],
    }
)


def _verified(email: str, **claims) -> dict:
    return {"email": email, "email_verified": True, **claims}


@pytest.mark.parametrize(
    "claims, role",
    [
        (_verified("someone@kent.police.uk"), "analyst"),
        (_verified("chief.analyst@police.example"), "admin"),
        (_verified("officer@met.police.uk"), "viewer"),  # @police.uk matches the end of the address
        (_verified("someone@gmail.com"), None),
        (_verified("someone@gmail.com", roles=["OIC.Analyst"]), "analyst"),
        (_verified("someone@kent.police.uk", roles=["admin"]), "admin"),  # the higher of claim and list
        (_verified("someone@kent.police.uk", roles="viewer"), "analyst"),
        (_verified("x@gmail.com", roles=["superuser"]), None),  # unknown role names give nothing
        (_verified("x@gmail.com", roles=["Anything.Admin"]), None),  # nor one that merely ends like a role
        (_verified("x@gmail.com", roles=["oic.analyst"]), None),  # configured names are matched exactly
        (_verified("x@gmail.com", roles=["Admin"]), None),
        ({"email": "someone@kent.police.uk", "email_verified": False}, None),  # an unverified address is not trusted
        ({"email": "someone@kent.police.uk"}, None),  # nor one whose token does not say it is verified
        ({"email": "someone@kent.police.uk", "oid": "7f0c3b9e-1111-4c2d-9a55-000000000001"}, "admin"),  # Entra's oid
        ({"preferred_username": "analyst@essex.police.uk"}, "analyst"),
        ({"preferred_username": "someone@essex.police.uk"}, None),  # a listed username matches exactly
    ],
)
def test_the_role_comes_from_the_claim_or_the_allow_list(claims, role):
    assert role_for(claims, POLICY) == role


def test_roles_are_ordered():
    assert at_least("admin", "analyst") and at_least("analyst", "viewer")
    assert not at_least("viewer", "analyst") and not at_least(None, "viewer")


def test_loading_returns_needs_an_analyst():
    assert page_role("returns") == "analyst" and page_role("overview") == "viewer"


def test_a_session_ends_after_the_configured_hours():
    signed_in = 1_000_000.0
    assert not session_expired(signed_in, signed_in + 11.9 * 3600, POLICY)
    assert session_expired(signed_in, signed_in + 12.1 * 3600, POLICY)
    assert session_expired(signed_in, signed_in + 3 * 3600, policy_from({"session_hours": 2}))


def test_without_settings_nobody_is_listed_and_anonymous_access_is_off():
    policy = policy_from(None)
    assert policy.allow_anonymous is False and policy.session_hours == 12
    assert role_for(_verified("a@police.uk"), policy) is None


def test_a_look_alike_domain_is_not_listed():
    assert role_for({"email": "someone@notpolice.uk"}, POLICY) is None
    assert role_for({"email": "someone@kent.police.uk.evil.example"}, POLICY) is None


@pytest.mark.parametrize(
    "key, value, kind",
    [
        ("allow_anonymous", "false", "a text in quotes"),  # true to Python: it opened a live database to anyone
        ("allow_anonymous", "no", "a text in quotes"),
        ("allow_anonymous", 0, "a number"),
        ("session_hours", "12", "a text in quotes"),
        ("session_hours", True, "a boolean"),
        ("session_hours", 0, "a number"),
        ("session_hours", float("inf"), "a number"),  # a session that never ends
        ("session_hours", float("nan"), "a number"),
        ("session_hours", 1e-9, "a number"),  # a session over before the page loads
        ("session_hours", 745, "a number"),
        ("role_claim", ["roles"], "a list"),
        ("viewers", "@police.uk", "a text in quotes"),  # a text, not a list: it would be read letter by letter
        ("admins", ["a@police.uk", 7], "a list"),
        ("analyst_role_names", {"name": "OIC.Analyst"}, "a table"),
    ],
)
def test_a_setting_of_the_wrong_kind_is_refused_with_a_sentence_naming_it(key, value, kind):
    """Given [taskforce_access] with a setting that is not of its kind, then the policy is not made: the error
    names the section and the key, says what it must be and what it is (never its value)."""
    problem = access_settings_problem({key: value})
    assert problem is not None
    assert problem.startswith(f"[taskforce_access] {key} in .streamlit/secrets.toml must be ")
    assert problem.endswith(f"; it is {kind}.")
    with pytest.raises(SettingsError, match=key):
        policy_from({key: value})


def test_a_boolean_must_be_a_toml_boolean():
    assert "true or false, without quotes" in access_settings_problem({"allow_anonymous": "false"})
    assert policy_from({"allow_anonymous": True}).allow_anonymous is True
    assert policy_from({"allow_anonymous": False}).allow_anonymous is False


def test_a_misspelt_setting_is_refused_rather_than_ignored():
    """`session_hour = 1` would otherwise leave sessions at 12 hours, silently."""
    problem = access_settings_problem({"session_hour": 1})
    assert problem is not None and "[taskforce_access] session_hour" in problem and "session_hours" in problem


def test_the_example_secrets_file_passes_the_check():
    example = tomllib.loads((PROJECT_ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8"))
    assert access_settings_problem(example["taskforce_access"]) is None
    assert access_settings_problem(None) is None


@pytest.mark.parametrize("hours", [0.25, 1, 12, 744])
def test_a_session_may_last_from_a_quarter_of_an_hour_to_31_days(hours):
    assert access_settings_problem({"session_hours": hours}) is None
    assert "from 0.25 to 744" in access_settings_problem({"session_hours": float("inf")})


ORGANISATIONS = policy_from(
    {
        "viewers": ["@police.uk"],
        "organisations": {
            "kent": ["@kent.police.uk"],
            "essex": ["@essex.police.uk", "oid:7f0c3b9e-2222-4c2d-9a55-000000000002"],
            "nca": ["duty.officer@nca.example", "@kent.police.uk"],  # Kent's accounts listed twice: no guess
        },
    }
)


@pytest.mark.parametrize(
    "claims, organisation",
    [
        (_verified("dci@essex.police.uk"), "essex"),
        ({"oid": "7f0c3b9e-2222-4c2d-9a55-000000000002"}, "essex"),
        (_verified("duty.officer@nca.example"), "nca"),
        (_verified("dci@kent.police.uk"), None),  # two organisations list it
        ({"email": "dci@essex.police.uk"}, None),  # an address not verified proves nothing
        (_verified("someone@police.uk"), None),
    ],
)
def test_an_account_belongs_to_the_one_organisation_whose_list_names_it(claims, organisation):
    assert organisation_for(claims, ORGANISATIONS) == organisation


def test_the_owner_or_an_analyst_updates_an_action():
    assert may_update_action("viewer", "kent", "kent")
    assert not may_update_action("viewer", "kent", "essex")
    assert not may_update_action("viewer", None, "kent")
    assert not may_update_action(None, "kent", "kent")  # no access at all
    assert may_update_action("analyst", None, "essex") and may_update_action("admin", "kent", "essex")


@pytest.mark.parametrize("value", [["@kent.police.uk"], {"kent": "@kent.police.uk"}, {"kent": [1]}])
def test_organisations_must_be_a_table_of_lists_of_texts(value):
    problem = access_settings_problem({"organisations": value})
    assert problem and "organisations" in problem and "a table of organisation codes" in problem
    with pytest.raises(SettingsError):
        policy_from({"organisations": value})


@pytest.mark.parametrize(
    "claims, organisation",
    [
        (_verified("dci@essex.police.uk.evil.org"), None),  # a domain suffix is not the domain
        (_verified("dci@evilessex.police.uk"), None),  # nor is a name that merely ends the same
        (_verified("  DCI@Essex.Police.UK "), "essex"),  # case and spaces in an address change nothing
        (_verified("duty.officer@nca.example.evil.org"), None),
    ],
)
def test_an_address_trick_names_no_other_organisation(claims, organisation):
    assert organisation_for(claims, ORGANISATIONS) == organisation


@pytest.mark.parametrize(
    "role, organisation, owner, allowed",
    [
        ("viewer", "essex", "kent", False),
        ("viewer", None, "kent", False),  # an account in two lists belongs to none and updates nothing
        (None, "kent", "kent", False),
        ("viewer", "kent", "kent", True),
        ("analyst", None, "kent", True),
    ],
)
def test_only_the_owner_or_an_analyst_updates_an_action(role, organisation, owner, allowed):
    assert may_update_action(role, organisation, owner) is allowed


def test_an_organisation_code_written_in_capitals_is_still_the_owner_s_code():
    """Owner codes are the reference data's ('kent'); a code written 'Kent ' in the settings means Kent, not
    nobody, so its officers are not quietly refused their own actions."""
    policy = policy_from({"organisations": {"Kent ": ["@kent.police.uk"]}})
    assert organisation_for(_verified("dci@kent.police.uk"), policy) == "kent"
