"""Weekly returns: load files, see who has returned, and the audit log.

The frame's guard comes first: a page opened by its URL shows nothing until sign-in and role are checked."""

from taskforce.ui.controls import share_link
from taskforce.ui.frame import guard
from taskforce.ui.views import returns

guard("returns")
returns.render()
share_link()
