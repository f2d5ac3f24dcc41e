"""Arrests and charges: weekly, monthly or quarterly, by agency, region or force, against last year.

The frame's guard comes first: a page opened by its URL shows nothing until sign-in and role are checked."""
from taskforce.ui.controls import share_link
from taskforce.ui.frame import guard
from taskforce.ui.views import trends

guard("trends")
trends.render()
share_link()
