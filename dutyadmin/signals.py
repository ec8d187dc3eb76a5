"""Signals of core, so a higher app can act on them without core importing it."""
from django.dispatch import Signal

# `manage.py seed_demo` has loaded (or found) the demo district (`today`): oversight sends the day's
# reminders the beat would send (the findings to act on, the approvals waiting), so the demo users' inboxes
# are not empty. Receivers return how many notifications they made.
demo_loaded = Signal()
