"""The force profile names what stands out against its region and the nation by the dashboard's rules only:
outside the 95% funnel limits for the force's own base, and still so after Benjamini-Hochberg across every rate
and comparison on the profile; no test on a base under 10. Known truth: totals made up so the answer is known."""

from __future__ import annotations

import numpy as np

from taskforce.analysis import force_profile

NATION = {
    "taskings_completed": 18_980,
    "taskings_received": 20_000,
    "migrants_debriefed": 3_360,
    "migrants_encountered": 10_000,
    "oic_charges": 5_920,
    "oic_arrests": 10_000,
    "ocg_high_priority": 321,
    "ocg_mapped": 1_000,
}
REGION = {code: value / 8 for code, value in NATION.items()}


def _force(**changed: float) -> dict[str, float]:
    """A force exactly at the national rates on a base of 400, with some totals changed."""
    return {**{code: value / 25 for code, value in NATION.items()}, **changed}


def _profile(force: dict[str, float]) -> dict[str, dict[str, float]]:
    return {"force": force, "region": REGION, "national": NATION}


def test_a_real_outlier_is_named_in_a_plain_sentence():
    """Kent's tasking completion 72.0% on 400 taskings against 94.9% nationally: far outside the funnel."""
    found = force_profile.comparisons(_profile(_force(taskings_completed=288, taskings_received=400)))
    words = force_profile.standing_out_words(found)
    assert words == [
        "Tasking completion rate 72.0% against 94.9% in its ROCU region and 94.9% nationally: lower, "
        "beyond what chance would give (on 400 co-ordinated taskings received)."
    ]


def test_a_force_at_the_national_rates_is_not_named():
    words = force_profile.standing_out_words(force_profile.comparisons(_profile(_force())))
    assert words == ["No evidence of a difference from its region or the nation on the 4 rates tested."]


def test_a_small_base_is_not_tested_however_far_its_rate():
    force = {code: 0 for code in NATION} | {"taskings_completed": 2, "taskings_received": 9}
    found = force_profile.comparisons(_profile(force))
    assert [c for c in found if c.code == "tasking_completion"] == []
    assert all(not c.stands_out for c in found)


def test_noise_is_not_named_across_hundreds_of_forces_like_the_nation():
    """500 forces drawn at the national rates (bases 50 to 2,000): the profile names almost none. Without the
    multiple-testing step, a 95% test on 8 comparisons names about one in seven."""
    generator = np.random.default_rng(7)
    named, named_uncorrected = 0, 0
    for _ in range(500):
        base = int(generator.integers(50, 2_000))
        force = {
            "taskings_received": base,
            "taskings_completed": generator.poisson(0.949 * base),
            "migrants_encountered": base,
            "migrants_debriefed": generator.binomial(base, 0.336),
            "oic_arrests": base,
            "oic_charges": generator.poisson(0.592 * base),
            "ocg_mapped": base,
            "ocg_high_priority": generator.binomial(base, 0.321),
        }
        named += any(c.stands_out for c in force_profile.comparisons(_profile(force)))
        named_uncorrected += any(c.stands_out for c in force_profile.comparisons(_profile(force), correct=False))
    assert named / 500 <= 0.06  # the false discovery rate at q = 0.05, for a force with nothing to find
    assert named_uncorrected / 500 >= 0.1  # the rule off: noise named for about one force in seven


def test_the_multiple_testing_step_decides_a_borderline_difference():
    """Outside the 95% limits on one rate alone (p about 0.02) is not enough with 8 comparisons made."""
    force = _force(migrants_debriefed=112, migrants_encountered=400)  # 28.0% against 33.6%
    corrected = force_profile.comparisons(_profile(force))
    uncorrected = force_profile.comparisons(_profile(force), correct=False)
    debrief = [c for c in uncorrected if c.code == "debrief_rate" and c.area == "national"][0]
    assert debrief.outside and 0.005 < debrief.p_value < 0.05
    assert any(c.stands_out for c in uncorrected)
    assert not any(c.stands_out for c in corrected)


def test_wider_circulation_tests_only_shown_figures():
    import pandas as pd

    rows = pd.DataFrame(
        [
            {"area": area, "measure_code": code, "value": value, "smallest_force_value": small, "population": 1_000_000}
            for area, totals, small in (
                ("force", _force(taskings_completed=288, taskings_received=400), 3),
                ("region", REGION, 3),
                ("national", NATION, 3),
            )
            for code, value in totals.items()
        ]
    )
    visible = force_profile.visible_totals(rows, threshold=4)
    assert "taskings_received" not in visible["force"]
    words = force_profile.standing_out_words(force_profile.comparisons(visible))
    assert not any("Tasking" in sentence for sentence in words)
