"""Many sessions at once against a real dashboard server, at the level of Streamlit's own protocol.

A browser per session would measure the browsers: twenty Chromium pages drawing Plotly charts on the same
two cores as the server take most of the CPU. This client speaks Streamlit's websocket protocol instead
(the BackMsg and ForwardMsg protocol buffers the browser sends and receives), so each session costs the
server exactly what a browser session costs it, and nothing else runs on the machine:

1. open the session and run the page, as a browser does when it loads it;
2. change a filter: a rerun carrying the new value of one widget, as a click on it sends (only the fragment
   that holds the widget, if it is in one, as the browser asks);
3. the time until the server says the script run has finished (every element of the answer sent).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class Session:
    connection: websockets.ClientConnection
    page_script_hash: str
    widget_id: str
    fragment_id: str  # "" unless the control sits in a fragment, which then reruns alone


def _rerun(
    page_name: str,
    page_script_hash: str = "",
    widget_id: str | None = None,
    choice: str | None = None,
    fragment_id: str = "",
) -> bytes:
    message = BackMsg()
    state = message.rerun_script
    state.page_name = page_name
    state.page_script_hash = page_script_hash
    state.fragment_id = fragment_id
    if widget_id is not None:
        widget = state.widget_states.widgets.add()
        widget.id = widget_id
        widget.string_array_value.data.append(choice)
    return message.SerializeToString()


async def _until_finished(connection, label: str | None = None) -> tuple[str, str | None, str]:
    """Read the server's messages until the script run finishes; return the page's script hash, and the id of
    the button group labelled `label` with its fragment, when one was sent."""
    page_hash, widget_id, fragment_id = "", None, ""
    while True:
        message = ForwardMsg()
        message.ParseFromString(await connection.recv())
        kind = message.WhichOneof("type")
        if kind == "navigation":  # the page this run is drawing, as st.navigation chose it
            page_hash = message.navigation.page_script_hash or page_hash
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "button_group" and element.button_group.label == label:
                widget_id, fragment_id = element.button_group.id, message.delta.fragment_id
        elif kind == "script_finished":
            return page_hash, widget_id, fragment_id


async def open_session(url: str, page_name: str, label: str) -> Session:
    connection = await websockets.connect(
        url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], max_size=None
    )
    await connection.send(_rerun(page_name))
    page_hash, widget_id, fragment_id = await _until_finished(connection, label)
    if widget_id is None:
        raise RuntimeError(f"the page {page_name!r} sent no control labelled {label!r}")
    return Session(connection, page_hash, widget_id, fragment_id)


async def change_filter(session: Session, page_name: str, choice: str) -> float:
    started = time.perf_counter()
    await session.connection.send(
        _rerun(page_name, session.page_script_hash, session.widget_id, choice, session.fragment_id)
    )
    await _until_finished(session.connection)
    return time.perf_counter() - started


async def sessions_at_once(
    url: str, sessions: int, page_name: str, label: str, choices: tuple[str, str], changes: int
) -> list[float]:
    """`sessions` sessions on one page each change the filter `changes` times, all at the same moment."""
    opened = [await open_session(url, page_name, label) for _ in range(sessions)]
    timings: list[float] = []
    try:
        for change in range(changes):
            choice = choices[change % 2]
            timings += await asyncio.gather(*(change_filter(s, page_name, choice) for s in opened))
    finally:
        for session in opened:
            await session.connection.close()
    return timings
