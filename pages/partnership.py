"""Partnership and intelligence: are the agencies working together?

The frame's guard comes first: a page opened by its URL shows nothing until sign-in and role are checked."""

from taskforce.ui.controls import share_link
from taskforce.ui.frame import guard
from taskforce.ui.views import partnership

guard("partnership")
partnership.render()
share_link()
