"""A deterministic synthetic history of weekly returns and recommendation updates, for demonstration.

Same seed and as-of date, same table contents. The numbers are made up but shaped like the real thing:
population and OIC exposure set each organisation's level, the real small-boat crossings set the season,
the taskforce launch lifts activity, Operation Lockstream spikes it, and the returns have the flaws real
returns have (late, missing, resubmitted, a nil return).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from taskforce import reference
from taskforce.measures import reported_codes

FIRST_WEEK_ENDING = dt.date(2023, 1, 8)
TASKFORCE_LAUNCH = dt.date(2025, 5, 15)
LOCKSTREAM_WEEK_ENDINGS = (dt.date(2025, 9, 14), dt.date(2025, 9, 21))
DEMO_UPLOADER = "demo generator"
DEFAULT_SEED = 20250515

# How much OIC work a force carries per resident, against an inland force (1.0): Channel and North Sea
# coasts, ports and the capital carry more. An illustrative judgement for the demo, not an assessment.
EXPOSURE = {
    "kent": 6.0, "sussex": 3.0, "essex": 3.0, "hampshire": 2.6, "metropolitan": 2.2, "city-of-london": 20.0,
    "suffolk": 1.8, "norfolk": 1.5, "dorset": 1.6, "devon-and-cornwall": 1.3, "humberside": 1.7,
    "merseyside": 1.3, "north-wales": 1.3, "lincolnshire": 1.2, "btp": 1.2, "northern-ireland": 0.9,
    "police-scotland": 0.5, "cumbria": 0.6, "dyfed-powys": 0.8, "north-yorkshire": 0.7, "gloucestershire": 0.7,
}
# Share of the small boats' landings that end up in a force's custody and encounters.
LANDING_SHARE = {
    "kent": 0.70, "sussex": 0.12, "essex": 0.05, "hampshire": 0.03, "norfolk": 0.03, "suffolk": 0.03,
    "dorset": 0.02, "devon-and-cornwall": 0.02,
}
# Agencies have no resident population: their weekly levels are set directly.
AGENCY_ARRESTS = {"nca": 4.0, "immigration-enforcement": 10.0, "border-force": 2.5}
AGENCY_ENCOUNTER_RATE = {"nca": 0.002, "immigration-enforcement": 0.03, "border-force": 0.30}
AGENCY_OCGS = {"nca": 45, "immigration-enforcement": 20, "border-force": 4}
AGENCY_TRAINING_TARGET = {"nca": 300, "immigration-enforcement": 420, "border-force": 260}
BTP_POPULATION_EQUIVALENT = 1_500_000
HABITUALLY_LATE = {"gwent": 0.35, "lincolnshire": 0.25, "border-force": 0.15}
LATEST_WEEK_STRAGGLERS = ("gwent", "lincolnshire")  # their latest return is not in yet
NIL_RETURN_ORG = "dyfed-powys"  # submits all-zero activity for the latest week
RESUBMITTING_ORG = "kent"  # corrects its latest return the day after sending it
OUTAGE_ORG, OUTAGE_WEEKS = "north-yorkshire", (dt.date(2024, 8, 11), dt.date(2024, 8, 18), dt.date(2024, 8, 25))
NATIONAL_FORCE_ARRESTS_PER_WEEK = 30.0
NATIONAL_OCGS_LED_BY_FORCES = 170


@dataclass(frozen=True)
class DemoBuild:
    path: Path
    as_of: dt.date
    seed: int
    weeks: int
    returns: int
    uploads: int
    recommendation_updates: int


def last_complete_week_ending(as_of: dt.date) -> dt.date:
    """The latest Sunday strictly before the as-of date: the last week that has fully ended."""
    days_since_sunday = (as_of.weekday() + 1) % 7
    return as_of - dt.timedelta(days=days_since_sunday or 7)


def week_endings(as_of: dt.date) -> list[dt.date]:
    last = last_complete_week_ending(as_of)
    count = (last - FIRST_WEEK_ENDING).days // 7 + 1
    return [FIRST_WEEK_ENDING + dt.timedelta(weeks=i) for i in range(max(count, 0))]


def _rng(seed: int, stream: str) -> np.random.Generator:
    """An independent, reproducible random stream per purpose, so one change does not shift the others."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode())])


# ---------------------------------------------------------------------------------------------- shape


def _monthly_crossings() -> dict[tuple[int, int], float]:
    arrivals = reference.small_boat_arrivals()
    result = {}
    for row in arrivals.itertuples(index=False):
        people = float(row.people)
        if row.status == "partial":  # September 2026 covers 24 of 30 days
            people = people * 30 / 24
        result[(row.month.year, row.month.month)] = people
    return result


def _weekly_crossings(weeks: list[dt.date]) -> np.ndarray:
    """People crossing per week, from the real monthly series; months not yet published repeat the
    same month of the year before."""
    monthly = _monthly_crossings()

    def month_people(year: int, month: int) -> float:
        while (year, month) not in monthly and year > 2018:
            year -= 1
        return monthly.get((year, month), 0.0)

    values = []
    for week in weeks:
        days_in_month = (dt.date(week.year + week.month // 12, week.month % 12 + 1, 1) - week.replace(day=1)).days
        values.append(month_people(week.year, week.month) / days_in_month * 7)
    return np.array(values)


def _seasonal_index() -> dict[int, float]:
    """Each calendar month's share of a year's crossings, against an even spread (1.0), 2021 to 2025."""
    monthly = _monthly_crossings()
    shares = {month: [] for month in range(1, 13)}
    for year in range(2021, 2026):
        annual_mean = np.mean([monthly[(year, m)] for m in range(1, 13)])
        for month in range(1, 13):
            shares[month].append(monthly[(year, month)] / annual_mean)
    return {month: float(np.mean(values)) for month, values in shares.items()}


def _launch_progress(weeks: list[dt.date]) -> np.ndarray:
    """0 before the taskforce launch, rising to 1 over the 20 weeks after it."""
    days = np.array([(week - TASKFORCE_LAUNCH).days for week in weeks])
    return np.clip(days / 140.0, 0.0, 1.0)


def _ramp(weeks: list[dt.date], start: dt.date, end: dt.date) -> np.ndarray:
    """0 before start, 1 after end, linear between."""
    days = np.array([(week - start).days for week in weeks], dtype=float)
    return np.clip(days / (end - start).days, 0.0, 1.0)


def _common_activity(weeks: list[dt.date]) -> np.ndarray:
    """The national multiplier of OIC activity per week: season, year, launch."""
    season = _seasonal_index()
    monthly = _monthly_crossings()
    annual = {y: sum(monthly.get((y, m), 0.0) for m in range(1, 13)) for y in range(2018, 2027)}
    annual[2026] = max(annual[2026], annual[2025])
    seasonal = np.array([0.65 + 0.35 * season[week.month] for week in weeks])
    yearly = np.array([(annual[week.year] / 36_816) ** 0.35 for week in weeks])
    return seasonal * yearly * (1 + 0.45 * _launch_progress(weeks))


def _lockstream(weeks: list[dt.date], factor: float) -> np.ndarray:
    return np.array([factor if week in LOCKSTREAM_WEEK_ENDINGS else 1.0 for week in weeks])


# ------------------------------------------------------------------------------------------- values


def _arrest_base(orgs: pd.DataFrame) -> np.ndarray:
    """Weekly arrests before the launch, per organisation: forces by population times exposure."""
    population = orgs["population"].astype("Float64").fillna(BTP_POPULATION_EQUIVALENT).to_numpy(float)
    exposure = orgs["code"].map(EXPOSURE).fillna(1.0).to_numpy(float)
    is_force = (orgs["type"] == "force").to_numpy()
    weight = np.where(is_force, population * exposure, 0.0)
    base = NATIONAL_FORCE_ARRESTS_PER_WEEK * weight / weight.sum()
    agency = orgs["code"].map(AGENCY_ARRESTS).fillna(0.0).to_numpy(float)
    return np.where(is_force, base, agency)


def _weekly_noise(rng: np.random.Generator, shape: tuple[int, int], spread: float) -> np.ndarray:
    """Multiplicative noise that persists a little from week to week (AR(1) on the log scale)."""
    shocks = rng.normal(0.0, spread, size=shape)
    log_noise = np.zeros(shape)
    for t in range(shape[0]):
        log_noise[t] = shocks[t] + (0.6 * log_noise[t - 1] if t else 0.0)
    return np.exp(log_noise - spread**2)


def _lagged(values: np.ndarray, weeks: int) -> np.ndarray:
    return np.vstack([values[:weeks], values[:-weeks]]) if weeks else values


def generate_values(weeks: list[dt.date], orgs: pd.DataFrame, seed: int) -> dict[str, np.ndarray]:
    """Every reported measure as a weeks x organisations array of whole numbers (pounds for cash)."""
    rng = _rng(seed, "values")
    shape = (len(weeks), len(orgs))
    launch = _launch_progress(weeks)[:, None]
    activity = _common_activity(weeks)[:, None]
    org_factor = rng.lognormal(0.0, 0.2, size=len(orgs))[None, :]
    arrest_rate = _arrest_base(orgs)[None, :] * activity * org_factor * _weekly_noise(rng, shape, 0.15)

    values: dict[str, np.ndarray] = {}
    values["oic_arrests"] = rng.poisson(arrest_rate * _lockstream(weeks, 2.0)[:, None])
    charge_probability = 0.42 + 0.13 * _ramp(weeks, dt.date(2025, 10, 1), dt.date(2026, 10, 1))[:, None]
    values["oic_charges"] = rng.binomial(_lagged(values["oic_arrests"], 2), charge_probability)
    for code, share, lift in (("major", 0.05, 0.6), ("moderate", 0.15, 0.4), ("minor", 0.35, 0.3)):
        values[f"disruptions_{code}"] = rng.poisson(arrest_rate * share * (1 + lift * launch))

    values["intel_reports"] = rng.poisson(
        arrest_rate * 3.0 * (1 + 0.5 * launch) * _lockstream(weeks, 1.6)[:, None]
    )
    share_shared = 0.10 + 0.20 * _ramp(weeks, dt.date(2025, 7, 1), dt.date(2026, 2, 1))[:, None]
    values["intel_packages_shared"] = rng.binomial(values["intel_reports"], share_shared)
    values.update(_intelligence_destinations(values["intel_packages_shared"], orgs, seed))

    encountered_rate = _encounter_rate(weeks, orgs, activity) * _lockstream(weeks, 1.8)[:, None]
    values["migrants_encountered"] = rng.poisson(encountered_rate)
    values["migrants_debriefed"] = rng.binomial(values["migrants_encountered"], _debrief_probability(weeks, orgs, rng))

    tasking_rate = arrest_rate * (0.4 + 0.9 * launch)
    values["taskings_received"] = rng.poisson(tasking_rate)
    completion = 0.70 + 0.15 * launch
    values["taskings_completed"] = rng.binomial(_lagged(values["taskings_received"], 1), completion)

    values["ocg_mapped"], values["ocg_high_priority"] = _crime_groups(weeks, orgs, arrest_rate, rng)
    values["nrm_referrals"] = rng.poisson(arrest_rate * 0.2 + encountered_rate * 0.03)
    values["cash_seized_gbp"] = _cash_seized(arrest_rate, rng)
    values["officers_trained"] = _officers_trained(weeks, orgs, rng)
    return values


# Where each kind of sender's shared packages go (NCA, IE, BF, other forces and ROCUs); no one sends to itself.
DESTINATION_SHARES = {
    "force": (0.45, 0.25, 0.10, 0.20), "nca": (0.0, 0.35, 0.15, 0.50),
    "immigration-enforcement": (0.50, 0.0, 0.20, 0.30), "border-force": (0.40, 0.45, 0.0, 0.15),
}
DESTINATION_MEASURES = ("intel_shared_to_nca", "intel_shared_to_ie", "intel_shared_to_bf", "intel_shared_to_forces")


def _intelligence_destinations(shared: np.ndarray, orgs: pd.DataFrame, seed: int) -> dict[str, np.ndarray]:
    """Split every organisation's shared packages between the four destinations (they add up exactly)."""
    rng = _rng(seed, "intelligence destinations")
    split = np.zeros(shared.shape + (len(DESTINATION_MEASURES),), dtype=int)
    for o, (code, kind) in enumerate(zip(orgs["code"], orgs["type"])):
        shares = DESTINATION_SHARES["force" if kind == "force" else code]
        split[:, o, :] = rng.multinomial(shared[:, o], shares)
    return {measure: split[:, :, k] for k, measure in enumerate(DESTINATION_MEASURES)}


def _encounter_rate(weeks: list[dt.date], orgs: pd.DataFrame, activity: np.ndarray) -> np.ndarray:
    crossings = _weekly_crossings(weeks)[:, None]
    codes = orgs["code"]
    landing = codes.map(LANDING_SHARE).fillna(0.0).to_numpy(float)[None, :]
    population = orgs["population"].astype("Float64").fillna(0).to_numpy(float)[None, :]
    is_force = (orgs["type"] == "force").to_numpy()[None, :]
    inland = 0.5 * population / 1e6 * activity
    agency = codes.map(AGENCY_ENCOUNTER_RATE).fillna(0.0).to_numpy(float)[None, :]
    return np.where(is_force, crossings * 0.04 * landing + inland, crossings * agency + 2 * agency * activity)


def _debrief_probability(weeks: list[dt.date], orgs: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Few migrants were asked about their smugglers before the launch; the structured debrief
    (recommendation 3) lifts that through 2025-26."""
    after_launch = _ramp(weeks, TASKFORCE_LAUNCH, dt.date(2026, 3, 31))[:, None]
    national_rollout = _ramp(weeks, dt.date(2026, 3, 31), dt.date(2026, 6, 30))[:, None]
    base = np.where(orgs["code"].eq("immigration-enforcement").to_numpy(), 0.20, 0.05)[None, :]
    org_factor = rng.lognormal(0.0, 0.3, size=len(orgs))[None, :]
    return np.clip((base + 0.20 * after_launch + 0.13 * national_rollout) * org_factor, 0.0, 0.95)


def _crime_groups(
    weeks: list[dt.date], orgs: pd.DataFrame, arrest_rate: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Stocks: mapped groups drift up once the taskforce starts mapping; the share graded high
    priority rises after the grading review (recommendation 7)."""
    share = arrest_rate.mean(axis=0) / arrest_rate[:, orgs["type"].eq("force").to_numpy()].mean(axis=0).sum()
    start = np.where(
        orgs["type"].eq("force"), np.round(NATIONAL_OCGS_LED_BY_FORCES * share), orgs["code"].map(AGENCY_OCGS)
    ).astype(float)
    start = np.maximum(start, 1)
    launch = _launch_progress(weeks)[:, None]
    added = rng.poisson(start[None, :] * (0.008 + 0.012 * launch))
    closed = rng.poisson(start[None, :] * 0.007, size=added.shape)
    mapped = np.maximum(start[None, :] + np.cumsum(added - closed, axis=0), 0)
    high_share = 0.12 + 0.18 * _ramp(weeks, dt.date(2025, 12, 1), dt.date(2026, 4, 30))[:, None]
    org_factor = rng.uniform(0.6, 1.4, size=len(orgs))[None, :]
    high = np.minimum(np.round(mapped * high_share * org_factor), mapped)
    return mapped.astype(int), high.astype(int)


def _cash_seized(arrest_rate: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    seizures = rng.poisson(arrest_rate * 0.12)
    total = np.zeros(seizures.shape)
    for (t, o), count in np.ndenumerate(seizures):
        if count:
            total[t, o] = np.round(rng.lognormal(8.7, 0.9, size=count).sum())
    return total


def _officers_trained(weeks: list[dt.date], orgs: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """A cumulative count from August 2025, following an S-curve to each organisation's target."""
    population = orgs["population"].astype("Float64").fillna(BTP_POPULATION_EQUIVALENT).to_numpy(float)
    exposure = orgs["code"].map(EXPOSURE).fillna(1.0).clip(upper=3.0).to_numpy(float)
    target = np.where(
        orgs["type"].eq("force"), population / 1e6 * 90 * np.sqrt(exposure), orgs["code"].map(AGENCY_TRAINING_TARGET)
    )
    delay_weeks = rng.integers(0, 12, size=len(orgs))
    start = dt.date(2025, 8, 3)
    elapsed = np.array([(week - start).days / 7 for week in weeks])[:, None] - delay_weeks[None, :]
    progress = np.where(elapsed > 0, 1 / (1 + np.exp(-(elapsed - 20) / 6)), 0.0)
    return np.floor(target[None, :] * progress).astype(int)


# ----------------------------------------------------------------------------------------- receipts


def plan_receipts(weeks: list[dt.date], orgs: pd.DataFrame, seed: int) -> pd.DataFrame:
    """When each organisation's return for each week arrives (NaT: never). Due by the Tuesday after the
    week ends; most come Monday or Tuesday, a few late, a handful never."""
    rng = _rng(seed, "receipts")
    reporting = orgs[orgs["expected_to_return"]].reset_index(drop=True)
    grid = pd.MultiIndex.from_product([weeks, reporting["code"]], names=["week_ending", "org_code"]).to_frame(
        index=False
    )
    late_probability = grid["org_code"].map(HABITUALLY_LATE).fillna(0.05).to_numpy()
    on_time_day = rng.choice([1, 2], p=[0.6, 0.4], size=len(grid))
    late_day = rng.integers(3, 10, size=len(grid))
    days = np.where(rng.random(len(grid)) < late_probability, late_day, on_time_day)
    minutes = rng.integers(8 * 60, 18 * 60, size=len(grid))
    latest = grid["week_ending"].eq(weeks[-1]) & grid["org_code"].isin(LATEST_WEEK_STRAGGLERS)
    days = np.where(latest, 8, days)
    week_start = pd.to_datetime(grid["week_ending"])
    received = week_start + pd.to_timedelta(days, unit="D") + pd.to_timedelta(minutes, unit="m")
    never = rng.random(len(grid)) < 0.004
    never |= grid["org_code"].eq(OUTAGE_ORG) & grid["week_ending"].isin(OUTAGE_WEEKS)
    grid["received_at"] = received.where(~never)
    return grid


# ------------------------------------------------------------------------------------------ uploads


def _return_csv(week: dt.date, org_code: str, values: dict[str, float]) -> bytes:
    lines = ["week_ending,org_code,measure_code,value"]
    lines += [f"{week.isoformat()},{org_code},{code},{value:g}" for code, value in values.items()]
    return ("\n".join(lines) + "\n").encode()


def assemble_returns(
    weeks: list[dt.date], orgs: pd.DataFrame, values: dict[str, np.ndarray], receipts: pd.DataFrame,
    as_of: dt.date, seed: int,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The uploads, the live weekly_return rows and the superseded history, as the database holds them."""
    rng = _rng(seed, "resubmissions")
    cutoff = pd.Timestamp(as_of + dt.timedelta(days=1))
    week_index = {week: i for i, week in enumerate(weeks)}
    org_index = {code: i for i, code in enumerate(orgs["code"])}
    codes = reported_codes()

    submissions = []  # (received_at, week, org, values, version)
    for row in receipts.dropna(subset=["received_at"]).itertuples(index=False):
        if row.received_at >= cutoff:
            continue
        t, o = week_index[row.week_ending], org_index[row.org_code]
        reported = {code: float(values[code][t, o]) for code in codes}
        if row.org_code == NIL_RETURN_ORG and row.week_ending == weeks[-1]:
            reported = {code: (v if code in ("ocg_mapped", "ocg_high_priority", "officers_trained") else 0.0)
                        for code, v in reported.items()}
        submissions.append((row.received_at, row.week_ending, row.org_code, reported, 1))
        resubmits = (row.org_code == RESUBMITTING_ORG and row.week_ending == weeks[-1]) or rng.random() < 0.003
        corrected_at = row.received_at + pd.Timedelta(hours=26)
        if resubmits and corrected_at < cutoff:
            corrected = dict(reported)
            corrected["oic_arrests"] += 2
            corrected["oic_charges"] += 1
            submissions.append((corrected_at, row.week_ending, row.org_code, corrected, 2))

    submissions.sort(key=lambda s: (s[0], s[1], s[2], s[4]))
    uploads, live, history = [], {}, []
    for upload_id, (received_at, week, org_code, reported, version) in enumerate(submissions, start=1):
        content = _return_csv(week, org_code, reported)
        suffix = "" if version == 1 else f"_v{version}"
        uploads.append({
            "id": upload_id, "file_name": f"{org_code}_week_ending_{week.isoformat()}{suffix}.csv",
            "sha256": hashlib.sha256(content).hexdigest(), "size_bytes": len(content),
            "received_at": received_at.to_pydatetime(), "uploaded_by": DEMO_UPLOADER, "status": "committed",
            "rows_accepted": len(reported), "rows_rejected": 0,
            "message": "Demo return" if version == 1 else "Demo resubmission: corrected arrests and charges",
            "is_demo": True,
        })
        for code, value in reported.items():
            key = (week, org_code, code)
            if key in live:
                old_value, old_upload = live[key]
                history.append({"week_ending": week, "org_code": org_code, "measure_code": code,
                                "value": old_value, "upload_id": old_upload,
                                "superseded_by_upload_id": upload_id,
                                "superseded_at": received_at.to_pydatetime()})
            live[key] = (value, upload_id)

    live_rows = pd.DataFrame(
        [(w, o, m, v, u) for (w, o, m), (v, u) in live.items()],
        columns=["week_ending", "org_code", "measure_code", "value", "upload_id"],
    )
    history_columns = ["week_ending", "org_code", "measure_code", "value", "upload_id",
                       "superseded_by_upload_id", "superseded_at"]
    return pd.DataFrame(uploads), live_rows, pd.DataFrame(history, columns=history_columns)
