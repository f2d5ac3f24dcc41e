"""AppTest of About the data: every measure's definition, the sources and the accessibility statement."""

from __future__ import annotations

import shutil

from streamlit.testing.v1 import AppTest

from taskforce.measures.registry import registry
from tests.conftest import PROJECT_ROOT

ABOUT = str(PROJECT_ROOT / "pages" / "about.py")


def test_about_lists_every_measure_with_its_definition(demo_db_path):
    at = AppTest.from_file(ABOUT, default_timeout=60).run()
    assert not at.exception
    catalogue = at.dataframe[0].value  # a grid that scrolls in its own box on a phone
    assert set(catalogue.index) == {item.label for item in registry().values()}
    assert catalogue["Definition"].str.len().min() > 40


def test_about_states_sources_provenance_and_accessibility(demo_db_path):
    at = AppTest.from_file(ABOUT, default_timeout=60).run()
    headers = [h.value for h in at.header]
    for expected in ("Measures", "Forces, regional units and agencies", "The recommendations", "Accessibility"):
        assert expected in headers
    text = " ".join(md.value for md in at.markdown)
    assert "illustrative" in text and "WCAG 2.2" in text and "ONS mid-2023" in text
    assert any("Demo data" in warning.value for warning in at.warning)
    organisations = at.dataframe[1].value
    assert (organisations["type"] == "force").sum() == 46


def test_the_wider_circulation_toggle_is_on_every_page(demo_db_path):
    from taskforce.ui.downloads import WIDER_CIRCULATION_KEY

    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "regional.py"), default_timeout=90).run()
    assert at.sidebar.toggle(key=WIDER_CIRCULATION_KEY).value is False
    at.sidebar.toggle(key=WIDER_CIRCULATION_KEY).set_value(True).run()
    assert not at.exception


def test_every_csv_carries_the_marking_and_wider_circulation_hides_small_counts():
    import pandas as pd

    from taskforce.ui.downloads import csv_bytes

    frame = pd.DataFrame({"Force": ["a", "b", "c"], "Value": [2, 10, 30]})
    internal = csv_bytes(frame, ["Value"]).decode().splitlines()
    assert internal[0] == "# OFFICIAL-SENSITIVE" and internal[2] == "a,2"
    wider = csv_bytes(frame, ["Value"], wider=True).decode().splitlines()
    assert wider[1].startswith("# For wider circulation") and wider[3:] == ["a,[c]", "b,[c]", "c,30"]


def test_the_data_catalogue_shows_every_shared_dataset(demo_db_path):
    """Given the catalogue's datasets, then About the data shows each with its owner, rows, last arrival,
    whether it is late and its columns with definitions; the synthetic one says so."""
    from taskforce.store import catalogue

    at = AppTest.from_file(ABOUT, default_timeout=60).run()
    assert not at.exception
    titles = [subheader.value for subheader in at.subheader]
    text = " ".join(md.value for md in at.markdown).replace("\\", "")  # as read: without the escapes
    for dataset in catalogue.datasets():
        assert dataset.title in titles
        assert f"Owner: {dataset.owner}" in text
    column_tables = [table.value for table in at.table if "Definition" in table.value and "Type" in table.value]
    assert sorted(len(table) for table in column_tables) == sorted(len(d.columns) for d in catalogue.datasets())
    assert any("Synthetic" in warning.value and "not Border Force figures" in warning.value for warning in at.warning)
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Rows"] in {"105", f"{104 * 11:,}"}
    assert any(label.startswith("Next due by") for label in metrics)


def test_the_data_catalogue_says_why_a_folder_or_file_is_not_read(writable_db_path, shared_data, tmp_path, monkeypatch):
    """Given the Border Force folder replaced by a link to /, a 1 GB Home Office CSV, and another caught
    mid-copy, then the Data catalogue says in plain sentences that the folder leads outside and is refused,
    that the large file is over its limit, and that the copy is still arriving and when it will be read."""
    from taskforce.store import catalogue
    from tests.conftest import new_server_process

    root = tmp_path / "shared"
    shutil.copytree(shared_data, root)
    border_force = catalogue.dataset("border_force_port_detections").location(root)
    shutil.rmtree(border_force)
    border_force.symlink_to("/")
    arrivals = catalogue.dataset("small_boat_arrivals").location(root)
    with (arrivals / "small_boat_arrivals_2030-02-01.csv").open("wb") as huge:
        huge.truncate(1024 * catalogue.MEGABYTE)
    (arrivals / "small_boat_arrivals_2030-01-01.csv").write_text("month,people,boats,status,source\n")
    with new_server_process(writable_db_path, root, monkeypatch) as data:
        assert data.wait_for_partner_folders(timeout=120)
        at = AppTest.from_file(ABOUT, default_timeout=90).run()
    assert not at.exception
    errors = " ".join(error.value for error in at.error).replace("\\", "")
    assert (
        "Refused border_force/port_detections: Its folder leads outside the shared-data folder (through a "
        "link), so nothing in it is read."
    ) in errors
    assert "Refused small_boat_arrivals_2030-02-01.csv: It is 1,024.0 MB, more than the 5 MB" in errors
    notes = " ".join(info.value for info in at.info).replace("\\", "")
    assert (
        "Still arriving: small_boat_arrivals_2030-01-01.csv. It is read once it is complete (renamed into "
        "place, or unchanged for 60 seconds)."
    ) in notes
    text = " ".join(md.value for md in at.markdown)
    assert "renamed into place after it was written, or unchanged in size and time for 60 seconds" in text


def test_a_new_server_whose_first_look_is_held_up_still_shows_the_data_catalogue(
    writable_db_path, shared_data, monkeypatch
):
    """Given a server whose first look in the partner folders is held up (a slow share), then About the data
    still answers, and says of each dataset that it has not been looked at yet."""
    import threading

    from taskforce.store import catalogue
    from tests.conftest import new_server_process

    finish = threading.Event()
    inspect = catalogue.inspect
    monkeypatch.setattr(catalogue, "inspect", lambda *args: finish.wait(timeout=600) and inspect(*args))
    with new_server_process(writable_db_path, shared_data, monkeypatch):
        try:
            at = AppTest.from_file(ABOUT, default_timeout=90).run()
        finally:
            finish.set()
    assert not at.exception
    waiting = [info.value for info in at.info if "has not finished its first look" in info.value]
    assert len(waiting) == len(catalogue.datasets())
