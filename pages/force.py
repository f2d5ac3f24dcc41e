"""A force's own view: a force (?force=) or ROCU region (?rocu=) against the forces most like it and the nation,
its ranks, its recommendations, actions and returns record; a force analyst's home page.

The frame's guard comes first: a page opened by its URL shows nothing until sign-in and role are checked."""

from taskforce.ui.controls import share_link
from taskforce.ui.frame import guard
from taskforce.ui.views import force

guard("force")
force.render()
share_link()
