"""A deputy's private calendar feed (iCalendar, RFC 5545): their meetings and invitations, at a secret address."""
