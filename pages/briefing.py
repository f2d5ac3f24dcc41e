"""Weekly briefing: the week as slides for the big screen, and the PowerPoint pack to send on.

The frame's guard comes first: a page opened by its URL shows nothing until sign-in and role are checked."""

from taskforce.ui.controls import share_link
from taskforce.ui.frame import guard
from taskforce.ui.views import briefing

guard("briefing")
briefing.render()
share_link()
