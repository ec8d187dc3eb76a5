from django.apps import AppConfig

from activities.links import register_activity_links
from activities.signals import invitation_answered, invitations_sent, self_registration_reviewed
from deputies.thresholds import ThresholdCatalog, register_thresholds
from dutyadmin.history import register_history_reader
from dutyadmin.signals import demo_loaded
from dutyadmin.year_lock import register_year_lock
from meetings.owners import register_contribution_owner
from meetings.signals import contribution_reviewed, leave_request_stepped

from .suggestions.signals import suggestion_chased, suggestion_evaluated, suggestion_replied


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "履职监督"

    def ready(self) -> None:
        # The hooks lower apps call (README, "Layers and hooks"): the year lock of the year-end review;
        # the reader of a record's change history; the threshold table a term's thresholds are read
        # and validated with; the notification of a leave step (sent inside the step's transaction, so
        # the outbox row commits with it); likewise a registration or contribution reviewed, invitations
        # sent and a deputy's answer; and, once the demo is loaded, the day's reminders of the beat.
        from .notifications import services as notifications
        from .notifications.services import leave_request_stepped_notify
        from .profile import record_history
        from .public.demo import demo_public_on
        from .public.signals import connect_public_signals
        from .review.lock import YEAR_LOCK
        from .rules.catalog import DEFAULT_THRESHOLDS, THRESHOLD_LABELS, validate_thresholds
        from .suggestions.selectors import contributions_of_suggestions

        register_year_lock(YEAR_LOCK)
        register_history_reader(record_history)
        register_thresholds(ThresholdCatalog(defaults=DEFAULT_THRESHOLDS, validate=validate_thresholds,
                                              labels=THRESHOLD_LABELS))
        leave_request_stepped.connect(leave_request_stepped_notify, sender=None, dispatch_uid="oversight.leave_step")
        self_registration_reviewed.connect(notifications.self_registration_reviewed_notify,
                                           dispatch_uid="oversight.self_registration_reviewed")
        contribution_reviewed.connect(notifications.contribution_reviewed_notify,
                                      dispatch_uid="oversight.contribution_reviewed")
        invitations_sent.connect(notifications.invitations_sent_notify, dispatch_uid="oversight.invitations_sent")
        invitation_answered.connect(notifications.invitation_answered_notify,
                                    dispatch_uid="oversight.invitation_answered")
        demo_loaded.connect(notifications.demo_reminders_send, dispatch_uid="oversight.demo_reminders")
        # A suggestion's reply tells the lead deputy, its evaluation the lead unit (inside the step's transaction).
        register_contribution_owner(contributions_of_suggestions)
        suggestion_replied.connect(notifications.suggestion_replied_notify, dispatch_uid="oversight.suggestion_replied")
        suggestion_chased.connect(notifications.suggestion_chased_notify, dispatch_uid="oversight.suggestion_chased")
        suggestion_evaluated.connect(notifications.suggestion_evaluated_notify,
                                     dispatch_uid="oversight.suggestion_evaluated")
        # --- opinions: a station reception's page links to its constituents' opinions
        from .opinions.links import reception_opinion_links

        register_activity_links(reception_opinion_links)
        demo_loaded.connect(notifications.demo_opinion_reminders_send, dispatch_uid="oversight.demo_opinion_reminders")
        # --- public: invalidate the cached public duty pages on approval/reopen, publish, settings
        connect_public_signals()
        demo_loaded.connect(demo_public_on, dispatch_uid="public.demo_on")
        # --- calendar: the demo deputy's calendar feed (its address printed once by seed_demo)
        from .calendar.demo import demo_calendar_key

        demo_loaded.connect(demo_calendar_key, dispatch_uid="calendar.demo_key")
        # --- receptions: a 主任会议成员接待代表 activity's page links to its streets' recommendations
        from .receptions.links import reception_recommendation_links

        register_activity_links(reception_recommendation_links)
