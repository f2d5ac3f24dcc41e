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

from taskforce.core.calendar import SERIES_START, last_complete_week_ending
from taskforce.core.config import DEFAULT_SHARED_DATA
from taskforce.measures.registry import reported_codes
from taskforce.store import catalogue

FIRST_WEEK_ENDING = SERIES_START
TASKFORCE_LAUNCH = dt.date(2025, 5, 15)
LOCKSTREAM_WEEK_ENDINGS = (dt.date(2025, 9, 14), dt.date(2025, 9, 21))
# Operation Lockstream's note (events.csv) counts 51 arrests for immigration offences over its two weeks: about
# 40% more arrests than usual in each of those weeks, nationally, not the double an earlier demo drew.
LOCKSTREAM_ARREST_FACTOR = 1.4
DEMO_UPLOADER = "demo generator"
DEFAULT_SEED = 20250515

# How much OIC work a force carries per resident, against an inland force (1.0): Channel and North Sea
# coasts, ports and the capital carry more. An illustrative judgement for the demo, not an assessment.
EXPOSURE = {
    "kent": 6.0,
    "sussex": 3.0,
    "essex": 3.0,
    "hampshire": 2.6,
    "metropolitan": 2.2,
    "city-of-london": 20.0,
    "suffolk": 1.8,
    "norfolk": 1.5,
    "dorset": 1.6,
    "devon-and-cornwall": 1.3,
    "humberside": 1.7,
    "merseyside": 1.3,
    "north-wales": 1.3,
    "lincolnshire": 1.2,
    "btp": 1.2,
    "northern-ireland": 0.9,
    "police-scotland": 0.5,
    "cumbria": 0.6,
    "dyfed-powys": 0.8,
    "north-yorkshire": 0.7,
    "gloucestershire": 0.7,
}
# Share of the small boats' landings that end up in a force's custody and encounters.
LANDING_SHARE = {
    "kent": 0.70,
    "sussex": 0.12,
    "essex": 0.05,
    "hampshire": 0.03,
    "norfolk": 0.03,
    "suffolk": 0.03,
    "dorset": 0.02,
    "devon-and-cornwall": 0.02,
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
    scale: int = 1
    units: int = 0


def first_week_ending(scale: int = 1) -> dt.date:
    """The first week of the history: January 2023, and a year earlier for each tenfold of scale."""
    tenfolds = len(str(max(int(scale), 1))) - 1
    return FIRST_WEEK_ENDING - dt.timedelta(weeks=52 * tenfolds)


def week_endings(as_of: dt.date, scale: int = 1) -> list[dt.date]:
    first = first_week_ending(scale)
    last = last_complete_week_ending(as_of)
    count = (last - first).days // 7 + 1
    return [first + dt.timedelta(weeks=i) for i in range(max(count, 0))]


def senders(orgs: pd.DataFrame, scale: int = 1) -> pd.DataFrame:
    """Who sends the returns. At scale 1, each organisation itself. At scale N, N units of each (basic command
    units and the like), in the organisation's order and each with 1/N of its population and level: `code`
    stays the organisation's (the judgements above are made per organisation), `unit_code` names the unit."""
    if scale == 1:
        return orgs.assign(unit_code=orgs["code"], unit_name=orgs["name"], share=1.0)
    units = orgs.loc[orgs.index.repeat(scale)].reset_index(drop=True)
    number = np.tile(np.arange(1, scale + 1), len(orgs))
    return units.assign(
        unit_code=[f"{code}-u{n:03d}" for code, n in zip(units["code"], number, strict=False)],
        unit_name=[f"{short} unit {n}" for short, n in zip(units["short_name"], number, strict=False)],
        population=(units["population"].astype("Float64") / scale).round().astype("Int64"),
        share=1.0 / scale,
    )


def _rng(seed: int, stream: str) -> np.random.Generator:
    """An independent, reproducible random stream per purpose, so one change does not shift the others."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode())])


# ---------------------------------------------------------------------------------------------- shape


def small_boat_series() -> pd.DataFrame:
    """The real Home Office series as the repository holds it (the shared dataset's newest committed file):
    month (first day), people, boats, status."""
    folder = catalogue.dataset("small_boat_arrivals").location(DEFAULT_SHARED_DATA)
    table = pd.read_csv(sorted(folder.glob("*.csv"))[-1], dtype=str, keep_default_na=False)
    table["month"] = pd.to_datetime(table["month"] + "-01").dt.date
    table[["people", "boats"]] = table[["people", "boats"]].astype(int)
    return table


def _monthly_crossings() -> dict[tuple[int, int], float]:
    arrivals = small_boat_series()
    result = {}
    for row in arrivals.itertuples(index=False):
        people = float(row.people)
        if row.status == "partial":  # September 2026 covers 24 of 30 days
            people = people * 30 / 24
        month = pd.Timestamp(str(row.month))
        result[(month.year, month.month)] = people
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


def _annual_crossings(season: dict[int, float]) -> dict[int, float]:
    """Each year's crossings, a year still in progress scaled up by the season's share of the months it has
    (so 2026 follows its own months, not last year's). Years after the series take its last year's level."""
    monthly = _monthly_crossings()
    annual = {}
    for year in sorted({year for year, _ in monthly}):
        months = [month for month in range(1, 13) if (year, month) in monthly]
        share_of_year = sum(season[month] for month in months) / 12
        annual[year] = sum(monthly[(year, month)] for month in months) / share_of_year
    return annual


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
    annual = _annual_crossings(season)
    first_year, last_year = min(annual), max(annual)
    seasonal = np.array([0.65 + 0.35 * season[week.month] for week in weeks])
    yearly = np.array([(annual[min(max(week.year, first_year), last_year)] / 36_816) ** 0.35 for week in weeks])
    return seasonal * yearly * (1 + 0.45 * _launch_progress(weeks))


def _lockstream(weeks: list[dt.date], factor: float) -> np.ndarray:
    return np.array([factor if week in LOCKSTREAM_WEEK_ENDINGS else 1.0 for week in weeks])


# ------------------------------------------------------------------------------------------- values


def _share(orgs: pd.DataFrame) -> np.ndarray:
    """Each sender's share of its organisation (1 unless the organisation reports through units)."""
    return orgs["share"].to_numpy(float) if "share" in orgs else np.ones(len(orgs))


def _population(orgs: pd.DataFrame) -> np.ndarray:
    """Residents, with BTP's stated equivalent (it has no resident population of its own)."""
    population = orgs["population"].astype("Float64").to_numpy(float, na_value=np.nan)
    return np.where(np.isnan(population), BTP_POPULATION_EQUIVALENT * _share(orgs), population)


def _arrest_base(orgs: pd.DataFrame) -> np.ndarray:
    """Weekly arrests before the launch, per organisation: forces by population times exposure."""
    population = _population(orgs)
    exposure = orgs["code"].map(EXPOSURE).fillna(1.0).to_numpy(float)
    is_force = (orgs["type"] == "force").to_numpy()
    weight = np.where(is_force, population * exposure, 0.0)
    base = NATIONAL_FORCE_ARRESTS_PER_WEEK * weight / weight.sum()
    agency = orgs["code"].map(AGENCY_ARRESTS).fillna(0.0).to_numpy(float) * _share(orgs)
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
    values["oic_arrests"] = rng.poisson(arrest_rate * _lockstream(weeks, LOCKSTREAM_ARREST_FACTOR)[:, None])
    charge_probability = 0.42 + 0.13 * _ramp(weeks, dt.date(2025, 10, 1), dt.date(2026, 10, 1))[:, None]
    values["oic_charges"] = rng.binomial(_lagged(values["oic_arrests"], 2), charge_probability)
    for code, share, lift in (("major", 0.05, 0.6), ("moderate", 0.15, 0.4), ("minor", 0.35, 0.3)):
        values[f"disruptions_{code}"] = rng.poisson(arrest_rate * share * (1 + lift * launch))

    values["intel_reports"] = rng.poisson(arrest_rate * 3.0 * (1 + 0.5 * launch) * _lockstream(weeks, 1.6)[:, None])
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
    "force": (0.45, 0.25, 0.10, 0.20),
    "nca": (0.0, 0.35, 0.15, 0.50),
    "immigration-enforcement": (0.50, 0.0, 0.20, 0.30),
    "border-force": (0.40, 0.45, 0.0, 0.15),
}
DESTINATION_MEASURES = ("intel_shared_to_nca", "intel_shared_to_ie", "intel_shared_to_bf", "intel_shared_to_forces")


def _intelligence_destinations(shared: np.ndarray, orgs: pd.DataFrame, seed: int) -> dict[str, np.ndarray]:
    """Split every organisation's shared packages between the four destinations (they add up exactly)."""
    rng = _rng(seed, "intelligence destinations")
    split = np.zeros(shared.shape + (len(DESTINATION_MEASURES),), dtype=int)
    for o, (code, kind) in enumerate(zip(orgs["code"], orgs["type"], strict=False)):
        shares = DESTINATION_SHARES["force" if kind == "force" else code]
        split[:, o, :] = rng.multinomial(shared[:, o], shares)
    return {measure: split[:, :, k] for k, measure in enumerate(DESTINATION_MEASURES)}


def _encounter_rate(weeks: list[dt.date], orgs: pd.DataFrame, activity: np.ndarray) -> np.ndarray:
    crossings = _weekly_crossings(weeks)[:, None]
    codes = orgs["code"]
    landing = (codes.map(LANDING_SHARE).fillna(0.0).to_numpy(float) * _share(orgs))[None, :]
    population = orgs["population"].astype("Float64").fillna(0).to_numpy(float)[None, :]
    is_force = (orgs["type"] == "force").to_numpy()[None, :]
    inland = 0.5 * population / 1e6 * activity
    agency = (codes.map(AGENCY_ENCOUNTER_RATE).fillna(0.0).to_numpy(float) * _share(orgs))[None, :]
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
        orgs["type"].eq("force"),
        np.round(NATIONAL_OCGS_LED_BY_FORCES * share),
        orgs["code"].map(AGENCY_OCGS) * _share(orgs),
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
    """Pounds seized per week: a number of seizures, each of a log-normal amount."""
    seizures = rng.poisson(arrest_rate * 0.12)
    amounts = rng.lognormal(8.7, 0.9, size=int(seizures.sum()))
    cell = np.repeat(np.arange(seizures.size), seizures.ravel())
    return np.round(np.bincount(cell, weights=amounts, minlength=seizures.size)).reshape(seizures.shape)


def _officers_trained(weeks: list[dt.date], orgs: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """A cumulative count from August 2025, following an S-curve to each organisation's target."""
    population = _population(orgs)
    exposure = orgs["code"].map(EXPOSURE).fillna(1.0).clip(upper=3.0).to_numpy(float)
    target = np.where(
        orgs["type"].eq("force"),
        population / 1e6 * 90 * np.sqrt(exposure),
        orgs["code"].map(AGENCY_TRAINING_TARGET) * _share(orgs),
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


STOCK_CODES = ("ocg_mapped", "ocg_high_priority", "officers_trained")


def _submissions(
    weeks: list[dt.date], orgs: pd.DataFrame, receipts: pd.DataFrame, as_of: dt.date, seed: int
) -> pd.DataFrame:
    """Every upload: each return received by the as-of date, and a corrected resubmission the next day for a
    few (always Kent's latest). Numbered in the order they arrived."""
    rng = _rng(seed, "resubmissions")
    cutoff = pd.Timestamp(as_of + dt.timedelta(days=1))
    first = receipts.dropna(subset=["received_at"])
    first = first[first["received_at"] < cutoff].reset_index(drop=True)
    first = first.assign(
        t=first["week_ending"].map({week: i for i, week in enumerate(weeks)}),
        o=first["org_code"].map({code: i for i, code in enumerate(orgs["code"])}),
        version=1,
    )
    always = (first["org_code"].eq(RESUBMITTING_ORG) & first["week_ending"].eq(weeks[-1])).to_numpy()
    draws = np.ones(len(first))
    draws[~always] = rng.random(int((~always).sum()))
    second = first[always | (draws < 0.003)].assign(version=2)
    second["received_at"] = second["received_at"] + pd.Timedelta(hours=26)
    second = second[second["received_at"] < cutoff]
    submissions = pd.concat([first, second], ignore_index=True).sort_values(
        ["received_at", "week_ending", "org_code", "version"], kind="stable", ignore_index=True
    )
    return submissions.assign(upload_id=np.arange(1, len(submissions) + 1))


def _reported_blocks(
    weeks: list[dt.date], submissions: pd.DataFrame, values: dict[str, np.ndarray], scale: int
) -> np.ndarray:
    """What each upload reports: submissions x units x measures, whole numbers. The nil return zeroes the
    activity; a resubmission corrects arrests and charges (in its first unit)."""
    codes = reported_codes()
    stacked = np.stack([values[code] for code in codes]).astype(np.int64)  # measures x weeks x senders
    units = submissions["o"].to_numpy()[:, None] * scale + np.arange(scale)[None, :]
    blocks = stacked[:, submissions["t"].to_numpy()[:, None], units].transpose(1, 2, 0).copy()
    nil = (submissions["org_code"].eq(NIL_RETURN_ORG) & submissions["week_ending"].eq(weeks[-1])).to_numpy()
    activity = [k for k, code in enumerate(codes) if code not in STOCK_CODES]
    blocks[np.ix_(nil, np.arange(scale), activity)] = 0
    corrected = submissions["version"].eq(2).to_numpy()
    blocks[corrected, 0, codes.index("oic_arrests")] += 2
    blocks[corrected, 0, codes.index("oic_charges")] += 1
    return blocks


def _upload_records(submissions: pd.DataFrame, blocks: np.ndarray, unit_codes: list[str], scale: int) -> pd.DataFrame:
    """The upload rows, each with the checksum and size of the CSV file it stands for."""
    codes = reported_codes()
    prefixes = [[f"{unit},{code}," for code in codes] for unit in unit_codes]
    checksums, sizes = [], []
    for block, week, org in zip(blocks, submissions["week_ending"], submissions["o"], strict=False):
        day = week.isoformat()
        lines = ["week_ending,org_code,measure_code,value"]
        for k, row in enumerate(block.tolist()):
            lines += [f"{day},{prefix}{value}" for prefix, value in zip(prefixes[org * scale + k], row, strict=False)]
        content = ("\n".join(lines) + "\n").encode()
        checksums.append(hashlib.sha256(content).hexdigest())
        sizes.append(len(content))
    first = submissions["version"].eq(1)
    return pd.DataFrame(
        {
            "id": submissions["upload_id"],
            "file_name": submissions["org_code"]
            + "_week_ending_"
            + submissions["week_ending"].map(dt.date.isoformat)
            + np.where(first, "", "_v" + submissions["version"].astype(str))
            + ".csv",
            "sha256": checksums,
            "size_bytes": sizes,
            "received_at": submissions["received_at"],
            "uploaded_by": DEMO_UPLOADER,
            "status": "committed",
            "rows_accepted": blocks.shape[1] * blocks.shape[2],
            "rows_rejected": 0,
            "message": np.where(first, "Demo return", "Demo resubmission: corrected arrests and charges"),
            "is_demo": True,
        }
    )


def _value_rows(submissions: pd.DataFrame, blocks: np.ndarray, unit_codes: list[str], scale: int) -> pd.DataFrame:
    """weekly_return rows for these submissions: one per unit and measure, codes held as categories."""
    codes = reported_codes()
    per_submission = scale * len(codes)
    units = submissions["o"].to_numpy()[:, None] * scale + np.arange(scale)[None, :]
    return pd.DataFrame(
        {
            "week_ending": np.repeat(submissions["week_ending"].to_numpy(), per_submission),
            "org_code": pd.Categorical.from_codes(np.repeat(units.ravel(), len(codes)), categories=unit_codes),
            "measure_code": pd.Categorical.from_codes(
                np.tile(np.arange(len(codes)), len(submissions) * scale), categories=codes
            ),
            "value": blocks.reshape(-1).astype(float),
            "upload_id": np.repeat(submissions["upload_id"].to_numpy(), per_submission),
        }
    )


def assemble_returns(
    weeks: list[dt.date],
    orgs: pd.DataFrame,
    values: dict[str, np.ndarray],
    receipts: pd.DataFrame,
    as_of: dt.date,
    seed: int,
    scale: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The uploads, the live weekly_return rows and the superseded history, as the database holds them.
    `values` has one column per sender (see `senders`): an organisation's `scale` units side by side."""
    submissions = _submissions(weeks, orgs, receipts, as_of, seed)
    blocks = _reported_blocks(weeks, submissions, values, scale)
    unit_codes = senders(orgs, scale)["unit_code"].tolist()
    uploads = _upload_records(submissions, blocks, unit_codes, scale)
    latest = submissions.groupby(["week_ending", "org_code"])["version"].transform("max")
    is_live = submissions["version"].eq(latest).to_numpy()
    live = _value_rows(submissions[is_live], blocks[is_live], unit_codes, scale)
    history = _value_rows(submissions[~is_live], blocks[~is_live], unit_codes, scale)
    superseding = submissions[submissions["version"].eq(2)].set_index(["week_ending", "org_code"])
    keys = pd.MultiIndex.from_frame(submissions.loc[~is_live, ["week_ending", "org_code"]])
    repeat = scale * len(reported_codes())
    history["superseded_by_upload_id"] = np.repeat(superseding["upload_id"].reindex(keys).to_numpy(), repeat)
    history["superseded_at"] = np.repeat(superseding["received_at"].reindex(keys).to_numpy(), repeat)
    return uploads, live, history


# ---------------------------------------------------------------------------------------------- partner extract

# Ports where Border Force finds people concealed in vehicles and freight, with the force whose area each is in
# and a made-up weekly level (the Channel ports far above the rest, as in the published detections).
PORTS = (
    ("Dover (Eastern Docks and Calais)", "kent", 9.0),
    ("Folkestone (Channel Tunnel, Coquelles)", "kent", 6.0),
    ("Portsmouth", "hampshire", 1.6),
    ("Newhaven", "sussex", 0.7),
    ("Harwich", "essex", 1.2),
    ("Purfleet and Tilbury", "essex", 1.8),
    ("Felixstowe", "suffolk", 0.8),
    ("Hull and Immingham", "humberside", 1.4),
    ("Poole", "dorset", 0.4),
    ("Plymouth", "devon-and-cornwall", 0.3),
    ("Holyhead", "north-wales", 0.5),
)


def port_detections(weeks: list[dt.date], seed: int) -> pd.DataFrame:
    """A synthetic Border Force extract: people found concealed at each port each week, and the vehicles they
    were in. Poisson counts around each port's level, higher in the summer, so some weeks are zero."""
    rng = _rng(seed, "port detections")
    season = np.array([1.0 + 0.35 * np.sin((week.timetuple().tm_yday - 100) / 365.25 * 2 * np.pi) for week in weeks])
    rows = []
    for port, force, level in PORTS:
        people = rng.poisson(level * season)
        vehicles = np.minimum(people, rng.binomial(people, 0.35) + (people > 0))
        rows.append(
            pd.DataFrame(
                {
                    "week_ending": weeks,
                    "port": port,
                    "force_code": force,
                    "people_detected": people.astype("int32"),
                    "vehicles": vehicles.astype("int32"),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)
