"""The bare page served the way the dashboard is: through Streamlit's `st.App` with our security middleware
(taskforce/ui/server.py), so a ratio to it measures our page and nothing of the serving."""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from taskforce.ui.middleware import GuardMiddleware

app = st.App(Path(__file__).with_name("bare_page.py"), middleware=[Middleware(GuardMiddleware)])
