"""A Plotly figure turned into what `st.plotly_chart` sends once per figure, not once per rerun.

`st.plotly_chart` asks a figure for its dict at every call: Plotly deep-copies every trace and layout property
and turns each array into base64, which was the largest part of a trends rerun's script time (three charts, the
same figures at every rerun: the builders in charts.py are memoised and their figures shared, read-only). A
prepared figure holds that dict, in plain JSON values, worked out the first time the figure is sent and kept
while the figure lives;
Streamlit takes it as a figure (it is one to `isinstance`) and asks it for nothing else.
"""

from __future__ import annotations

import json
import threading
import weakref

import plotly.graph_objects as go
import plotly.io
from plotly.basedatatypes import BaseFigure


class PreparedFigure(BaseFigure):
    """A figure's dict, as `st.plotly_chart` reads a figure (`to_dict` only). It holds no Plotly objects: Plotly's
    own set-up, which validates every property, is what it saves."""

    def __init__(self, spec: dict) -> None:  # pyright: ignore[reportMissingSuperCall]
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> dict:
        return self._spec  # type: ignore[attr-defined]


_PREPARED: dict[int, tuple[weakref.ref, PreparedFigure]] = {}
_LOCK = threading.Lock()


def prepared(figure: go.Figure) -> PreparedFigure:
    """The figure as sent, worked out once while the figure lives (a shared, memoised figure is never changed
    after it is built, so its dict is the same at every rerun)."""
    key = id(figure)
    with _LOCK:
        held = _PREPARED.get(key)
    if held is not None and held[0]() is figure:
        return held[1]
    # As JSON and back: dates, NumPy numbers and NaN become plain JSON values once, so Streamlit's encoding at
    # each rerun asks Plotly's encoder about nothing (it was called about 175 times a chart) and encodes once.
    ready = PreparedFigure(json.loads(str(plotly.io.to_json(figure, validate=False))))

    def forget(reference: weakref.ref) -> None:
        with _LOCK:
            if _PREPARED.get(key, (None,))[0] is reference:
                del _PREPARED[key]

    with _LOCK:
        _PREPARED[key] = (weakref.ref(figure, forget), ready)
    return ready


def held() -> int:
    """How many figures are held prepared (for the test that they go when their figures do)."""
    with _LOCK:
        return len(_PREPARED)
