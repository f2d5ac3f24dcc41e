"""Arrests and charges: weekly, monthly or quarterly, by agency, region or force, against last year.

The frame's guard comes first: a page opened by its URL shows nothing until sign-in and role are checked.
The view draws its own link to the view: the page is one fragment, and the link must follow its choices."""

from taskforce.ui.frame import guard
from taskforce.ui.views import trends

guard("trends")
trends.render()
