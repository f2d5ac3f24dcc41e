"""Weekly overview: the home page of the weekly briefing.

The frame's guard comes first: a page opened by its URL shows nothing until sign-in and role are checked."""

from taskforce.ui.controls import share_link
from taskforce.ui.frame import guard
from taskforce.ui.views import overview

guard("overview")
overview.render()
share_link()
