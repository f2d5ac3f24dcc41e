"""Recommendations tracker: the HMICFRS recommendations, their history, milestones and forces.

The frame's guard comes first: a page opened by its URL shows nothing until sign-in and role are checked."""

from taskforce.ui.controls import share_link
from taskforce.ui.frame import guard
from taskforce.ui.views import recommendations

guard("recommendations")
recommendations.render()
share_link()
