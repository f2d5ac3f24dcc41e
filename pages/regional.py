"""Regional activity: where in the country OIC activity is, and where it is not.

The frame's guard comes first: a page opened by its URL shows nothing until sign-in and role are checked."""

from taskforce.ui.controls import share_link
from taskforce.ui.frame import guard
from taskforce.ui.views import regional

guard("regional")
regional.render()
share_link()
