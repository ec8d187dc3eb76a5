"""Notifications: who is told what, written to the outbox with its cause, then delivered exactly once.

- `notify` writes one Notification under its unique key (recipient, reason, object, period); the row
  is the outbox entry, committed with whatever caused it, and its delivery task is sent on commit.
  If the broker is down the send fails quietly and `outbox_flush` (beat) sends it later.
- `notification_deliver` claims a row with one conditional UPDATE (pending → sending), so of two
  workers holding the same message only one sends; a worker that dies mid-send leaves a claim that
  expires after NOTIFICATION_CLAIM_LEASE seconds and is then taken again.
- The `*_send` functions are the beat's reminders; each is safe to run any number of times.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from activities.choices import SelfRegistrationStatus
from activities.models import Participation, SelfRegistration
from deputies.choices import DeputyStatus
from deputies.models import Deputy, StreetCommittee, Term, UserScope
from dutyadmin.roles import Role
from dutyadmin.scope import scope_for
from meetings.choices import HalfDay, LeaveStatus, StepStatus
from meetings.models import Contribution, LeaveApprovalStep, Meeting
from meetings.services import FILING_CODES, STEP_LABELS
from dutyadmin.permissions import INTERVENTION_RECORDERS, ForRule, allows, step_decider_role
from oversight.holidays import current_calendar
from oversight.rules import clocks

from ..suggestions.choices import Resolution, Satisfaction, SuggestionStatus
from ..suggestions.models import Suggestion
from ..suggestions.selectors import awaiting_reply_q
from ..opinions.models import Opinion  # --- opinions
from . import channels
from .models import (
    Channel,
    DeliveryMode,
    Notification,
    NotificationPreference,
    NotificationReason,
    NotificationStatus,
)

log = logging.getLogger(__name__)
User = get_user_model()

MAX_ATTEMPTS = 5
REVIEW_DEADLINE_STAGES = (14, 7, 1)  # days before the deadline a reminder goes out (the nearest stage wins)
NOTICE_MEETING_KINDS = ("preparatory", "plenary", "delegation")  # the meetings every deputy attends
WEEKDAYS = "一二三四五六日"


def cn_date(day: dt.date) -> str:
    """2025年3月1日, as every Chinese page writes dates."""
    return f"{day.year}年{day.month}月{day.day}日"


def claim_lease() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "NOTIFICATION_CLAIM_LEASE", 600)))


# --- the outbox -------------------------------------------------------------------------------------


def notify(*, recipient, reason: str, object_key: str, period: str = "", subject: str, body: str, url: str = "",
           deputy: Deputy | None = None, street_committee: StreetCommittee | int | None = None) -> Notification | None:
    """Write one notification unless its key exists; the new row's delivery is sent once the caller commits."""
    street_id = street_committee.pk if isinstance(street_committee, StreetCommittee) else street_committee
    if street_id is None and deputy is not None:
        street_id = deputy.street_committee_id
    try:
        # A savepoint: a key written meanwhile by another process must not break the caller's transaction.
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                recipient=recipient, reason=reason, object_key=object_key[:100], period=period,
                defaults={"subject": subject[:200], "body": body, "url": url[:300], "deputy": deputy,
                          "street_committee_id": street_id},
            )
    except IntegrityError:
        return None
    if not created:
        return None
    transaction.on_commit(lambda: enqueue([notification.pk]))
    return notification


def enqueue(ids: Iterable[int]) -> int:
    """Send delivery tasks for these notifications; with the broker down, stop quietly (the flush retries)."""
    from ..tasks import notification_deliver

    sent = 0
    eager = _eager()
    for pk in ids:
        try:
            notification_deliver.apply_async((pk,), retry=False, queue=settings.NOTIFICATION_QUEUE)
        except Exception as exc:  # noqa: BLE001 - kombu/redis errors of every kind: the outbox keeps the row
            if eager:
                raise
            log.warning("notification %s stays in the outbox, broker unavailable: %s", pk, exc)
            break
        sent += 1
    return sent


def _eager() -> bool:
    """Tasks run in-process (no REDIS_URL): an error there is a bug to show, not a broker to wait for."""
    from ..tasks import notification_deliver

    return bool(notification_deliver.app.conf.task_always_eager)


def outbox_flush(*, limit: int = 1000) -> int:
    """Send again what is pending (the broker was down) or whose claim has expired (a worker died)."""
    stale = timezone.now() - claim_lease()
    ids = list(
        Notification.objects.filter(
            Q(status=NotificationStatus.PENDING) | Q(status=NotificationStatus.SENDING, claimed_at__lt=stale)
        ).order_by("created_at", "id").values_list("pk", flat=True)[:limit]
    )
    return enqueue(ids)


# --- delivery ---------------------------------------------------------------------------------------


def preference_for(user) -> NotificationPreference:
    """The user's preference, or the default (email, no SMS, one by one) without saving it."""
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref or NotificationPreference(user=user)


def _phone(user) -> str:
    link = UserScope.objects.filter(user=user).select_related("deputy").first()
    return link.deputy.phone if link and link.deputy else ""


def notification_deliver(*, notification_id: int) -> str:
    """Deliver one notification by the recipient's channels: sent, digest, retry, failed, busy or done."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id).filter(
        Q(status=NotificationStatus.PENDING) | Q(status=NotificationStatus.SENDING, claimed_at__lt=now - claim_lease())
    ).update(status=NotificationStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        current = Notification.objects.filter(pk=notification_id).values_list("status", flat=True).first()
        return "busy" if current == NotificationStatus.SENDING else "done"
    ours = Notification.objects.filter(pk=notification_id, status=NotificationStatus.SENDING, claimed_at=now)
    n = Notification.objects.select_related("recipient").get(pk=notification_id)
    pref = preference_for(n.recipient)
    if n.reason != NotificationReason.DIGEST and pref.mode == DeliveryMode.DIGEST:
        ours.update(status=NotificationStatus.DIGEST)
        return "digest"
    done = list(n.channels or [])
    wanted = [c for c, on in ((Channel.EMAIL, pref.email), (Channel.SMS, pref.sms)) if on and c not in done]
    errors, notes = [], []
    for channel in wanted:
        try:
            if channel == Channel.EMAIL:
                channels.send_email(to=n.recipient.email, subject=n.subject, body=_email_body(n))
            else:
                channels.send_sms(phone=_phone(n.recipient), text=f"{n.subject}:{n.body}"[:300])
        except channels.ChannelSkipped as exc:
            notes.append(f"{Channel(channel).label}未发送:{exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - a channel's failure is recorded, then retried
            errors.append(str(exc) or exc.__class__.__name__)
            continue
        done.append(channel)
        # Remember each channel at once, so a retry does not send this one again.
        ours.update(channels=done)
    if errors:
        final = n.attempts >= MAX_ATTEMPTS
        ours.update(status=NotificationStatus.FAILED if final else NotificationStatus.PENDING,
                    last_error=";".join(errors + notes)[:2000])
        return "failed" if final else "retry"
    if Channel.IN_APP not in done:
        done.insert(0, Channel.IN_APP)
    sent_at = timezone.now()
    if ours.update(status=NotificationStatus.SENT, sent_at=sent_at, channels=done, last_error=";".join(notes)):
        if n.reason == NotificationReason.DIGEST:
            n.items.update(sent_at=sent_at)
    return "sent"


def retry_countdown(attempts: int) -> int:
    """Exponential backoff between delivery attempts: 30 s, 60 s, 120 s, … at most an hour."""
    base = float(getattr(settings, "NOTIFICATION_RETRY_BASE", 30))
    return int(min(3600, base * 2 ** max(0, attempts - 1)))


def _email_body(n: Notification) -> str:
    link = f"\n\n详情:{settings.SITE_URL.rstrip('/')}{n.url}" if n.url and getattr(settings, "SITE_URL", "") else ""
    return f"{n.body}{link}\n\n—— {settings.DISTRICT_NAME}人大代表履职管理系统(本邮件由系统自动发送)"


def digests_send(*, today: dt.date) -> int:
    """Gather each digest user's waiting messages into one digest of the day; once per user and day."""
    made = 0
    users = Notification.objects.filter(status=NotificationStatus.DIGEST).values_list("recipient", flat=True).distinct()
    for user in User.objects.filter(pk__in=list(users)):
        with transaction.atomic():
            items = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(recipient=user, status=NotificationStatus.DIGEST).order_by("created_at", "id")
            )
            if not items:
                continue
            lines = [f"{i}. 【{item.get_reason_display()}】{item.subject}\n{item.body}" for i, item in enumerate(items, 1)]
            digest = notify(
                recipient=user, reason=NotificationReason.DIGEST, object_key="digest", period=today.isoformat(),
                subject=f"{cn_date(today)}通知汇总(共{len(items)}条)", body="\n\n".join(lines),
                url=reverse("oversight:notification_inbox"),
            )
            if digest is None:
                continue  # today's digest has gone out; these wait for tomorrow's
            Notification.objects.filter(pk__in=[i.pk for i in items]).update(
                digest=digest, status=NotificationStatus.DIGESTED
            )
            made += 1
    return made


# --- inbox ------------------------------------------------------------------------------------------


def inbox_list(*, user):
    """The user's own messages, newest first (a digest repeats them, so it is not listed)."""
    return Notification.objects.filter(recipient=user).exclude(reason=NotificationReason.DIGEST)


def unread_count(*, user) -> int:
    return inbox_list(user=user).filter(read_at__isnull=True).count()


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's messages read (all of them without ids); others' messages are never touched."""
    qs = inbox_list(user=user).filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def preference_save(*, user, email: bool, sms: bool, mode: str) -> NotificationPreference:
    """Save the user's channels and single/digest choice."""
    pref = preference_for(user)
    pref.email, pref.sms, pref.mode = bool(email), bool(sms), mode
    pref.full_clean()
    pref.save()
    return pref


def sent_log_list(*, user):
    """What was sent to whom, when, and what failed, within the user's scope."""
    scope = scope_for(user)
    qs = Notification.objects.select_related("recipient", "deputy", "street_committee").exclude(
        reason=NotificationReason.DIGEST
    ).order_by("-created_at", "-id")
    if scope.has(Role.LIAISON_OFFICE):
        return qs
    if allows(scope, "see_sent_notifications"):
        sid = scope.street_committee_id
        return qs.filter(Q(street_committee_id=sid) | Q(deputy__street_committee_id=sid)
                         | Q(recipient__scope__street_committee_id=sid))
    return qs.none()


# --- who is told ------------------------------------------------------------------------------------


def deputy_users(deputies: Iterable[Deputy]) -> dict[int, object]:
    """The user account of each deputy that has one, by deputy id (one query)."""
    ids = [d.pk for d in deputies]
    return {link.deputy_id: link.user for link in UserScope.objects.filter(deputy_id__in=ids).select_related("user")
            if link.user.is_active}


def role_users(role: str, *, street_committee_id: int | None = None, delegation_id: int | None = None,
               handling_unit_id: int | None = None) -> list:
    """Active users of a role, narrowed to a street committee, delegation or handling unit when given."""
    qs = User.objects.filter(is_active=True, groups__name=role)
    if street_committee_id is not None:
        qs = qs.filter(scope__street_committee_id=street_committee_id)
    if delegation_id is not None:
        qs = qs.filter(scope__delegation_id=delegation_id)
    if handling_unit_id is not None:
        qs = qs.filter(scope__handling_unit_id=handling_unit_id)
    return list(qs.distinct().order_by("pk"))


def users_for_role_about(role: str, deputy: Deputy) -> list:
    """Users of a role who act for this deputy: street roles of the street, the delegation's head, district roles."""
    if role in (Role.STREET_DIRECTOR, Role.STREET_STAFF):
        return role_users(role, street_committee_id=deputy.street_committee_id)
    if role == Role.DELEGATION_HEAD:
        return role_users(role, delegation_id=deputy.delegation_id) if deputy.delegation_id else []
    return role_users(role)


def intervention_recorders(deputy: Deputy, rule: str) -> dict[int, object]:
    """Who is told to record the intervention a finding owes: the users of the roles the permission table
    names for the rule (the liaison office, which may record any, is not told of each), each kept only if
    record_intervention, the one predicate, lets them act for this deputy; by user id."""
    candidates = {u.pk: u for role in sorted(INTERVENTION_RECORDERS.get(rule, ()))
                  for u in users_for_role_about(role, deputy)}
    return {pk: u for pk, u in candidates.items() if allows(u, "record_intervention", ForRule(deputy, rule))}


def current_terms(today: dt.date) -> list[Term]:
    return list(Term.objects.filter(start_date__lte=today, end_date__gte=today))


def _in_service(term: Term, day: dt.date):
    return Deputy.objects.filter(term=term, status=DeputyStatus.ACTIVE, service_start__lte=day).filter(
        Q(service_end__isnull=True) | Q(service_end__gte=day)
    )


# --- event causes (called inside the cause's transaction) ------------------------------------------


def leave_request_stepped_notify(sender, *, leave_request, **kwargs) -> None:
    """Receiver of meetings' `leave_request_stepped` signal (connected in OversightConfig.ready())."""
    leave_request_notify(leave_request=leave_request)


def leave_request_notify(*, leave_request) -> int:
    """After a submit or an approval: tell the current step's approvers; once decided, tell the deputy."""
    leave = leave_request
    deputy = leave.deputy
    url = reverse("meetings:leave_detail", args=[leave.pk])
    made = 0
    if leave.status == LeaveStatus.PENDING:
        step = leave.steps.filter(status=StepStatus.WAITING).order_by("order").first()
        if step is None:
            return 0
        label = STEP_LABELS.get(step.code, step.code)
        step.leave_request = leave
        # Recusal: a head's own leave goes to the secretariat standing in, and nobody is told of their own.
        for user in users_for_role_about(step_decider_role(step.role, deputy), deputy):
            if not allows(user, "decide_leave_step", step):
                continue
            made += bool(notify(
                recipient=user, reason=NotificationReason.LEAVE_STEP, object_key=f"leave_step:{step.pk}",
                subject=f"请假申请待您办理:{deputy.name}",
                body=f"{deputy.name}代表的{leave.get_route_display()}申请({leave.session})已到“{label}”环节,请及时办理。",
                url=url, deputy=deputy,
            ))
    elif leave.status in (LeaveStatus.APPROVED, LeaveStatus.REJECTED):
        filing = leave.steps.filter(status=StepStatus.WAITING, code__in=FILING_CODES).order_by("order").first()
        if leave.status == LeaveStatus.APPROVED and filing is not None:  # approved; the filer still files it
            label = STEP_LABELS.get(filing.code, filing.code)
            for user in users_for_role_about(filing.role, deputy):
                made += bool(notify(
                    recipient=user, reason=NotificationReason.LEAVE_STEP, object_key=f"leave_step:{filing.pk}",
                    subject=f"请假待备案:{deputy.name}",
                    body=f"{deputy.name}代表的{leave.get_route_display()}申请({leave.session})已批准,"
                         f"待“{label}”,请及时备案。",
                    url=url, deputy=deputy,
                ))
        recipients = {u.pk: u for u in deputy_users([deputy]).values()}
        if leave.created_by_id and leave.created_by.is_active:
            recipients.setdefault(leave.created_by_id, leave.created_by)
        for user in recipients.values():
            made += bool(notify(
                recipient=user, reason=NotificationReason.LEAVE_DECIDED, object_key=f"leave:{leave.pk}",
                period=leave.status, subject=f"请假申请{leave.get_status_display()}:{deputy.name}",
                body=f"{deputy.name}代表的{leave.get_route_display()}申请({leave.session}){leave.get_status_display()}。",
                url=url, deputy=deputy,
            ))
    return made


# --- activities and contributions: the receivers of activities' and meetings' signals ----------------


def _stamp_period(prefix: str, moment) -> str:
    """A period naming one event of a record (its status and time), so a second signal for the same
    event writes nothing and a later event (returned again after a correction) a new message."""
    return f"{prefix}:{moment:%Y%m%d%H%M%S%f}" if moment else prefix


def self_registration_reviewed_notify(sender, *, registration, **kwargs) -> int:
    """The deputy hears that their personal registration was approved (it counts now) or returned (why)."""
    deputy = registration.deputy
    user = deputy_users([deputy]).get(deputy.pk)
    if user is None or registration.status == SelfRegistrationStatus.PENDING:
        return 0
    when = cn_date(registration.date)
    if registration.status == SelfRegistrationStatus.APPROVED:
        subject = f"个人登记已通过:{registration.title}"
        body = f"{deputy.name}代表:您{when}的个人登记“{registration.title}”已审核通过,已计入履职统计。"
    else:
        subject = f"个人登记被退回:{registration.title}"
        body = (f"{deputy.name}代表:您{when}的个人登记“{registration.title}”被退回,"
                f"原因:{registration.return_reason}\n请补充修改后重新提交。")
    return int(bool(notify(
        recipient=user, reason=NotificationReason.REGISTRATION_REVIEWED,
        object_key=f"self_registration:{registration.pk}",
        period=_stamp_period(registration.status, registration.reviewed_at),
        subject=subject, body=body, url=reverse("activities:self_detail", args=[registration.pk]), deputy=deputy,
    )))


def contribution_reviewed_notify(sender, *, contribution, **kwargs) -> int:
    """The deputy hears that their own entry was confirmed (it counts now) or returned (why)."""
    deputy = contribution.deputy
    user = deputy_users([deputy]).get(deputy.pk)
    if user is None:
        return 0
    when = cn_date(contribution.date)
    if contribution.confirmed:
        period = "confirmed"
        subject = f"审议意见和建议已确认:{contribution.title}"
        body = f"{deputy.name}代表:您{when}填报的“{contribution.title}”已确认,已计入履职记录。"
    elif contribution.return_reason:
        # Each return is one event: the history row the return wrote names it.
        latest = contribution.history.order_by("-history_id").values_list("history_id", flat=True).first()
        period = f"returned:{latest or ''}"
        subject = f"审议意见和建议被退回:{contribution.title}"
        body = (f"{deputy.name}代表:您{when}填报的“{contribution.title}”被退回,"
                f"理由:{contribution.return_reason}\n请修改后重新提交。")
    else:
        return 0
    return int(bool(notify(
        recipient=user, reason=NotificationReason.CONTRIBUTION_REVIEWED, object_key=f"contribution:{contribution.pk}",
        period=period, subject=subject, body=body, url=reverse("meetings:contribution_list"), deputy=deputy,
    )))


def invitations_sent_notify(sender, *, activity, deputy_ids, **kwargs) -> int:
    """Each newly invited deputy hears of the invitation and is asked to answer it (A9.3: 确定参加 counts)."""
    deputies = list(Deputy.objects.filter(pk__in=list(deputy_ids)))
    users = deputy_users(deputies)
    where = f",地点:{activity.location}" if activity.location else ""
    made = 0
    for deputy in deputies:
        if deputy.pk not in users:
            continue
        made += bool(notify(
            recipient=users[deputy.pk], reason=NotificationReason.INVITATION, object_key=f"invitation:{activity.pk}",
            period=f"deputy:{deputy.pk}",
            subject=f"活动邀请:{activity.title}",
            body=(f"{deputy.name}代表:邀请您参加{activity.get_kind_display()}“{activity.title}”,"
                  f"定于{cn_date(activity.date)}举行{where}。请答复能否参加;不能参加的请说明原因。"),
            url=reverse("activities:my_invitations"), deputy=deputy,
        ))
    return made


def activity_organizers(activity) -> list:
    """Who decides on a deputy's decline: the staff of the activity's street, or the liaison office for a
    district activity (oversight.todo.organizer_q lists the same declines on their home page)."""
    if activity.street_committee_id:
        return role_users(Role.STREET_STAFF, street_committee_id=activity.street_committee_id)
    return role_users(Role.LIAISON_OFFICE)


def invitation_answered_notify(sender, *, participation, **kwargs) -> int:
    """A deputy declined an invitation with a reason: the organizer decides whether it is leave (请假)."""
    p = participation
    if p.confirmed or not p.decline_reason:
        return 0
    activity, deputy = p.activity, p.deputy
    made = 0
    for user in activity_organizers(activity):
        made += bool(notify(
            recipient=user, reason=NotificationReason.INVITATION_DECLINED, object_key=f"participation:{p.pk}",
            period=_stamp_period("declined", p.answered_at),
            subject=f"代表不能参加活动:{deputy.name}“{activity.title}”",
            body=(f"{deputy.name}代表答复不能参加{cn_date(activity.date)}的“{activity.title}”,"
                  f"原因:{p.decline_reason}\n请决定是否准假,并登记参加情况。"),
            url=reverse("activities:participations", args=[activity.pk]), deputy=deputy,
            street_committee=activity.street_committee_id,
        ))
    return made


# --- the beat's reminders ---------------------------------------------------------------------------


def notices_send(*, today: dt.date) -> int:
    """Meetings and activities of the coming N days (N the term's setting): a notice to each deputy expected."""

    made = 0
    for term in current_terms(today):
        until = today + dt.timedelta(days=term.notice_days_before)
        meetings = list(Meeting.objects.filter(session__term=term, kind__in=NOTICE_MEETING_KINDS,
                                               date__gt=today, date__lte=until).select_related("session"))
        for meeting in meetings:
            deputies = list(_in_service(term, meeting.date))
            users = deputy_users(deputies)
            when = cn_date(meeting.date) + ("" if meeting.half_day == HalfDay.FULL else HalfDay(meeting.half_day).label)
            for deputy in deputies:
                if deputy.pk not in users:
                    continue
                made += bool(notify(
                    recipient=users[deputy.pk], reason=NotificationReason.MEETING_NOTICE,
                    object_key=f"meeting:{meeting.pk}", period=meeting.date.isoformat(),
                    subject=f"会议通知:{meeting.session.name}{meeting.title}",
                    body=(f"{deputy.name}代表:{meeting.session.name}{meeting.title}定于{when}举行,请准时出席。"
                          "如不能出席,请按规定履行请假手续,未经批准不到会的按缺席对待。"),
                    url=reverse("meetings:session_detail", args=[meeting.session_id]), deputy=deputy,
                ))
        participations = (
            Participation.objects.filter(activity__term=term, activity__date__gt=today, activity__date__lte=until)
            .select_related("activity", "deputy").prefetch_related("activity__materials")
        )
        participations = list(participations)
        users = deputy_users([p.deputy for p in participations])
        for p in participations:
            activity, deputy = p.activity, p.deputy
            if deputy.pk not in users:
                continue
            materials = list(activity.materials.all())
            lines = [f"{deputy.name}代表:{activity.get_kind_display()}“{activity.title}”定于{cn_date(activity.date)}举行"
                     + (f",地点:{activity.location}" if activity.location else "") + "。"]
            if materials:
                lines.append("活动材料:")
                lines += [f"· {m.name}({reverse('activities:material_download', args=[m.pk])})" for m in materials]
            lines.append("如不能参加,请提前向组织方请假。")
            made += bool(notify(
                recipient=users[deputy.pk], reason=NotificationReason.ACTIVITY_NOTICE,
                object_key=f"activity:{activity.pk}", period=activity.date.isoformat(),
                subject=f"活动通知:{activity.title}", body="\n".join(lines),
                url=reverse("activities:detail", args=[activity.pk]), deputy=deputy,
            ))
    return made


def behind_reminders_send(*, today: dt.date) -> int:
    """Once a month: each deputy behind on a threshold, and their street's staff, are reminded."""
    from ..findings.selectors import term_findings
    from ..labels import RULE_LABELS

    made = 0
    period = f"{today:%Y-%m}"
    for term in current_terms(today):
        behind: dict[int, list] = defaultdict(list)
        for finding in term_findings(term=term, as_of=today):
            if finding.status == "behind":
                behind[finding.deputy].append(finding)
        if not behind:
            continue
        deputies = {d.pk: d for d in Deputy.objects.filter(pk__in=list(behind)).select_related("street_committee")}
        users = deputy_users(deputies.values())

        def line(f) -> str:
            return f"{RULE_LABELS.get(f.rule, f.rule)}:已完成{f.count}次,本期应完成{f.required}次(截至{cn_date(f.period_end)})"

        by_street: dict[int, list[Deputy]] = defaultdict(list)
        for deputy_id, findings in behind.items():
            deputy = deputies.get(deputy_id)
            if deputy is None:
                continue
            by_street[deputy.street_committee_id].append(deputy)
            if deputy_id in users:
                made += bool(notify(
                    recipient=users[deputy_id], reason=NotificationReason.BEHIND_REMINDER,
                    object_key=f"deputy:{deputy_id}", period=period,
                    subject=f"履职进度提醒({today.year}年{today.month}月)",
                    body=f"{deputy.name}代表:以下履职事项进度落后,请合理安排时间参加:\n"
                         + "\n".join(f"· {line(f)}" for f in findings),
                    url=reverse("oversight:mine"), deputy=deputy,
                ))
        for street_id, street_deputies in by_street.items():
            body = "本街工委以下代表履职进度落后,请提醒并协助安排:\n" + "\n".join(
                f"· {d.name}:" + ";".join(line(f) for f in behind[d.pk]) for d in street_deputies
            )
            for staff in role_users(Role.STREET_STAFF, street_committee_id=street_id):
                made += bool(notify(
                    recipient=staff, reason=NotificationReason.BEHIND_STREET,
                    object_key=f"street:{street_id}:term:{term.pk}", period=period,
                    subject=f"代表履职进度提醒({today.year}年{today.month}月,{len(street_deputies)}名代表)",
                    body=body, url=reverse("oversight:finding_list") + "?status=behind",
                    street_committee=street_id,
                ))
    return made


def approvals_waiting_send(*, today: dt.date) -> int:
    """Once a day: each approver hears how many leave steps, registrations and contributions wait for them."""

    waiting: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    users: dict[int, object] = {}
    # Pending requests wait at their first waiting step; approved ones only for their filing (备案).
    open_steps = Q(leave_request__status=LeaveStatus.PENDING) | Q(leave_request__status=LeaveStatus.APPROVED,
                                                                 code__in=FILING_CODES)
    steps = (LeaveApprovalStep.objects.filter(open_steps, status=StepStatus.WAITING)
             .select_related("leave_request__deputy").order_by("leave_request_id", "order"))
    seen: set[int] = set()
    for step in steps:
        if step.leave_request_id in seen:
            continue  # only the first waiting step of a request is anyone's to act on
        seen.add(step.leave_request_id)
        for user in users_for_role_about(step.role, step.leave_request.deputy):
            users[user.pk] = user
            waiting[user.pk]["leave"] += 1
    streets: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for sid in SelfRegistration.objects.filter(status=SelfRegistrationStatus.PENDING).values_list(
            "deputy__street_committee_id", flat=True):
        streets[sid]["registrations"] += 1
    for sid in Contribution.objects.filter(confirmed=False, return_reason="").values_list(
            "deputy__street_committee_id", flat=True):
        streets[sid]["contributions"] += 1
    for sid, counts in streets.items():
        for user in role_users(Role.STREET_STAFF, street_committee_id=sid):
            users[user.pk] = user
            for key, n in counts.items():
                waiting[user.pk][key] += n
    made = 0
    for pk, counts in waiting.items():
        parts = [f"{counts[k]}{label}" for k, label in (("leave", "件请假申请"), ("registrations", "条个人登记"),
                                                        ("contributions", "条代表填报的审议意见和建议")) if counts.get(k)]
        url = reverse("meetings:leave_inbox") if counts.get("leave") else reverse("activities:review_list")
        made += bool(notify(
            recipient=users[pk], reason=NotificationReason.APPROVALS_WAITING, object_key="approvals",
            period=today.isoformat(), subject=f"待办提醒:{'、'.join(parts)}待处理",
            body=f"截至{cn_date(today)},您有{'、'.join(parts)}待审批或审核,请及时办理。", url=url,
            street_committee=scope_for(users[pk]).street_committee_id,
        ))
    return made


def review_deadline_send(*, today: dt.date) -> int:
    """Street staff hear of the year-end submission deadline 14, 7 and 1 days before, until they submit."""
    from ..choices import ReviewStatus
    from ..models import YearReview
    from ..review.deadlines import deadlines_for

    made = 0
    for term in Term.objects.filter(start_date__lte=today, end_date__gte=today - dt.timedelta(days=60)):
        for year, due in deadlines_for(term).items():
            days_left = (due - today).days
            if not 0 <= days_left <= REVIEW_DEADLINE_STAGES[0]:
                continue
            stage = min(s for s in REVIEW_DEADLINE_STAGES if s >= days_left)
            done = set(YearReview.objects.filter(
                term=term, year=year, status__in=[ReviewStatus.SUBMITTED, ReviewStatus.APPROVED]
            ).values_list("street_committee_id", flat=True))
            streets = set(Deputy.objects.filter(term=term).values_list("street_committee_id", flat=True)) - done
            for sid in sorted(streets):
                for staff in role_users(Role.STREET_STAFF, street_committee_id=sid):
                    made += bool(notify(
                        recipient=staff, reason=NotificationReason.REVIEW_DEADLINE,
                        object_key=f"review:{term.pk}:{year}:{sid}", period=f"{stage}d",
                        subject=f"{year}年度履职手册报送截止提醒(还有{days_left}天)",
                        body=f"{year}年度代表履职手册应于{cn_date(due)}前汇总报送代表联络机构审核,"
                             f"本街工委尚未报送,请抓紧办理。",
                        url=reverse("oversight:review_street", args=[term.pk, year, sid]), street_committee=sid,
                    ))
    return made


def finding_actions_send(*, today: dt.date) -> int:
    """Each action_required finding, once: the role that must act (in the deputy's scope) is told."""
    from ..findings.selectors import term_findings
    from ..labels import RULE_LABELS, action_label

    made = 0
    for term in current_terms(today):
        findings = [f for f in term_findings(term=term, as_of=today) if f.status == "action_required"]
        if not findings:
            continue
        deputies = {d.pk: d for d in Deputy.objects.filter(pk__in={f.deputy for f in findings})}
        for f in findings:
            deputy = deputies.get(f.deputy)
            if deputy is None:
                continue
            recipients = intervention_recorders(deputy, f.rule)
            trigger = f.trigger_date.isoformat() if f.trigger_date else ""
            for user in recipients.values():
                made += bool(notify(
                    recipient=user, reason=NotificationReason.FINDING_ACTION,
                    object_key=f"finding:{f.rule}:{f.deputy}", period=trigger,
                    subject=f"需处置:{deputy.name} {RULE_LABELS.get(f.rule, f.rule)}",
                    body=(f"{deputy.name}代表:{RULE_LABELS.get(f.rule, f.rule)}({f.article}),"
                          f"自{cn_date(f.trigger_date) if f.trigger_date else '今日'}起需{action_label(f.action)},"
                          "办理后请登记履职处置。"),
                    url=reverse("oversight:deputy_findings", args=[deputy.pk]), deputy=deputy,
                ))
    return made


def demo_reminders_send(sender, *, today: dt.date, **kwargs) -> int:
    """Receiver of core's `demo_loaded` (manage.py seed_demo): the day's reminders of the findings to act on,
    of the approvals waiting and of the suggestions near or past their due date, as the beat sends them, so
    the demo inboxes show what is owed."""
    return (finding_actions_send(today=today) + approvals_waiting_send(today=today)
            + suggestion_reminders_send(today=today))


# --- sgremind: suggestions (issue 13): the unit's reminders, the reply to the deputy, the evaluation to the unit

SUGGESTION_REMINDER_REASONS = {
    clocks.DUE_SOON: NotificationReason.SUGGESTION_DUE_SOON,
    clocks.DUE_TODAY: NotificationReason.SUGGESTION_DUE_TODAY,
    clocks.OVERDUE: NotificationReason.SUGGESTION_OVERDUE,
}


def unit_users(unit_id: int | None) -> list:
    """The active staff of a handling unit (role handling_unit linked to that unit); nobody for no unit."""
    return role_users(Role.HANDLING_UNIT, handling_unit_id=unit_id) if unit_id is not None else []


def suggestion_key(suggestion: Suggestion) -> str:
    return f"suggestion:{suggestion.pk}"


def _suggestion_url(suggestion: Suggestion) -> str:
    return reverse("suggestions:detail", args=[suggestion.pk])


def _reply_owed(suggestion: Suggestion) -> str:
    """What the unit owes: the reply, or the new reply after a dissatisfied evaluation."""
    return "重新办理答复" if suggestion.status == SuggestionStatus.REHANDLING else "答复"


def suggestion_reminder_text(suggestion: Suggestion, stage: str, due: dt.date, today: dt.date) -> tuple[str, str]:
    """(subject, body) of a unit's reminder of a reply due on `due`, read on `today`."""
    about = f"{suggestion.lead_deputy.name}代表领衔提出的建议“{suggestion.title}”"
    owed = _reply_owed(suggestion)
    left = clocks.days_left(due, today)
    if stage == clocks.DUE_SOON:
        return (f"建议答复期限临近：{suggestion.title}",
                f"{about}，{owed}期限为{cn_date(due)}，还有{left}天，请抓紧办理，按期答复。")
    if stage == clocks.DUE_TODAY:
        return (f"建议今日到期：{suggestion.title}",
                f"{about}，{owed}期限为今天（{cn_date(due)}），请于今日内答复。")
    return (f"建议逾期未答复：{suggestion.title}",
            f"{about}，{owed}期限{cn_date(due)}已过，已逾期{-left}天，请尽快答复。")


def suggestion_reminders_send(*, today: dt.date) -> int:
    """Each day (beat): the lead unit's staff hear of a reply due within 15 days, on its due date, then weekly
    while it is overdue, with a copy of the overdue one to the liaison office (RULES.md "Overdue"); which
    reminder is owed, and its key, is clocks.reply_reminder's. A day the holiday calendar does not know skips
    the suggestion (logged) and tells the liaison office, once per year, to update the calendar."""
    awaiting = (Suggestion.objects.filter(awaiting_reply_q(due_on_or_before=clocks.due_soon_until(today)))
                .select_related("lead_unit", "lead_deputy").order_by("pk"))
    units: dict[int, list] = {}
    office: list | None = None
    unknown: list[tuple[Suggestion, clocks.CalendarUnknown]] = []
    made = 0
    cal = current_calendar()
    for suggestion in awaiting:
        due = suggestion.reply_due
        try:
            owed = clocks.reply_reminder(due, today, cal=cal)
        except clocks.CalendarUnknown as exc:
            log.warning("suggestion %s: no reminder on %s, the holiday calendar does not know %s",
                        suggestion.pk, today, exc.day)
            unknown.append((suggestion, exc))
            continue
        if owed is None:
            continue
        stage, period = owed
        if suggestion.lead_unit_id not in units:
            units[suggestion.lead_unit_id] = unit_users(suggestion.lead_unit_id)
        subject, body = suggestion_reminder_text(suggestion, stage, due, today)
        unit_name = suggestion.lead_unit.name
        messages = [(user, subject, f"{unit_name}：{body}") for user in units[suggestion.lead_unit_id]]
        if stage == clocks.OVERDUE:
            office = role_users(Role.LIAISON_OFFICE) if office is None else office
            told = {user.pk for user, _, _ in messages}
            messages += [(user, f"{subject}（抄送）", f"抄送代表联络机构：主办单位{unit_name}，{body}")
                         for user in office if user.pk not in told]
        for user, subject_, body_ in messages:
            made += bool(notify(
                recipient=user, reason=SUGGESTION_REMINDER_REASONS[stage], object_key=suggestion_key(suggestion),
                period=period, subject=subject_, body=body_, url=_suggestion_url(suggestion),
                deputy=suggestion.lead_deputy,
            ))
    if unknown:
        made += calendar_outdated_notify(unknown=unknown)
    return made


def calendar_outdated_notify(*, unknown: list[tuple[Suggestion, clocks.CalendarUnknown]], what: str = "建议",
                             object_key: str = "calendar", url: str | None = None) -> int:
    """The liaison office hears, once per unknown year (and per kind of record: `object_key`), that reminders of
    `what` (建议, 群众意见) wait for a holiday calendar update."""
    day = unknown[0][1].day
    titles = "、".join(f"“{getattr(s, 'title', None) or s}”" for s, _ in unknown[:3]) + (
        f"等{len(unknown)}条" if len(unknown) > 3 else "")
    made = 0
    for user in role_users(Role.LIAISON_OFFICE):
        made += bool(notify(
            recipient=user, reason=NotificationReason.CALENDAR_OUTDATED, object_key=object_key,
            period=str(day.year), subject=f"节假日日历需要更新（{day.year}年）",
            body=(f"{unknown[0][1]}\n因此以下{what}的办理提醒暂停发送：{titles}。"
                  "请系统管理员更新节假日日历，更新后提醒恢复发送。"),
            url=url or _with_query(reverse("suggestions:list"), overdue="true"),
        ))
    return made


def _with_query(url: str, **params) -> str:
    return f"{url}?{urlencode(params)}" if params else url


def suggestion_replied_notify(sender, *, suggestion: Suggestion, reply, **kwargs) -> int:
    """Receiver of `suggestion_replied`: the lead deputy reads the reply's result and the feedback deadline."""
    deputy = suggestion.lead_deputy
    user = deputy_users([deputy]).get(deputy.pk)
    if user is None:
        return 0  # no account: the deputy hears of it from the office as before
    again = "重新办理后" if reply.rehandling else ""
    body = (f"{deputy.name}代表：您领衔提出的建议“{suggestion.title}”，{reply.unit.name}已于{cn_date(reply.date)}"
            f"{again}答复，办理结果：{Resolution(reply.resolution).label}。"
            f"请于{cn_date(suggestion.feedback_due)}前评价（满意、基本满意或不满意）。")
    if reply.rehandling:
        body += "这是重新办理的答复，评价后即办结。"
    return int(bool(notify(
        recipient=user, reason=NotificationReason.SUGGESTION_REPLIED, object_key=suggestion_key(suggestion),
        period=f"reply:{reply.pk}", subject=f"建议已答复，请评价：{suggestion.title}", body=body,
        url=_suggestion_url(suggestion), deputy=deputy,
    )))


def suggestion_chased_notify(sender, *, suggestion: Suggestion, event, **kwargs) -> int:
    """Receiver of `suggestion_chased`: the lead unit's staff are pressed for the reply, with its due date."""
    due = suggestion.reply_due
    late = clocks.is_overdue(due, None, event.date)
    when = f"已逾期{-clocks.days_left(due, event.date)}天" if late else f"答复期限为{cn_date(due)}"
    note = f"\n催办意见：{event.note}" if event.note else ""
    made = 0
    for user in unit_users(suggestion.lead_unit_id):
        made += bool(notify(
            recipient=user, reason=NotificationReason.SUGGESTION_CHASED, object_key=suggestion_key(suggestion),
            period=f"chase:{event.pk}", subject=f"催办：{suggestion.title}",
            body=(f"{suggestion.lead_unit.name}：代表联络机构于{cn_date(event.date)}催办建议“{suggestion.title}”"
                  f"（{suggestion.lead_deputy.name}代表领衔），{when}，请尽快答复。{note}"),
            url=_suggestion_url(suggestion), deputy=suggestion.lead_deputy,
        ))
    return made


def suggestion_evaluated_notify(sender, *, suggestion: Suggestion, reply, **kwargs) -> int:
    """Receiver of `suggestion_evaluated`: the lead unit's staff read the deputy's evaluation and what follows."""
    deputy = suggestion.lead_deputy
    label = Satisfaction(suggestion.satisfaction).label
    if suggestion.status == SuggestionStatus.REHANDLING:
        follows = f"该建议转入重新办理，请于{cn_date(suggestion.rehandling_due)}前重新答复。"
    else:
        follows = "该建议已办结。"
    comment = f"评价意见：{suggestion.evaluation_comment}\n" if suggestion.evaluation_comment else ""
    made = 0
    for user in unit_users(suggestion.lead_unit_id):
        made += bool(notify(
            recipient=user, reason=NotificationReason.SUGGESTION_EVALUATED, object_key=suggestion_key(suggestion),
            period=f"evaluation:{reply.pk}" if reply is not None else f"evaluation:{suggestion.evaluated_on}",
            subject=f"代表评价：{label}，{suggestion.title}",
            body=(f"{suggestion.lead_unit.name}：{deputy.name}代表于{cn_date(suggestion.evaluated_on)}"
                  f"对建议“{suggestion.title}”的答复评价为{label}。{comment}{follows}"),
            url=_suggestion_url(suggestion), deputy=deputy,
        ))
    return made


# --- opinions: constituents' opinions (issue 14): the unit's reminders as the suggestions' (same clocks, same outbox)

OPINION_REMINDER_REASONS = {
    clocks.DUE_SOON: NotificationReason.OPINION_DUE_SOON,
    clocks.DUE_TODAY: NotificationReason.OPINION_DUE_TODAY,
    clocks.OVERDUE: NotificationReason.OPINION_OVERDUE,
}


def opinion_reminder_text(opinion: Opinion, stage: str, due: dt.date, today: dt.date) -> tuple[str, str]:
    """(subject, body) of a reminder of an opinion's reply due on `due`; never the constituent's phone."""
    about = f"{opinion.street_committee.name}{cn_date(opinion.received_on)}收集的群众意见“{opinion}”"
    left = clocks.days_left(due, today)
    if stage == clocks.DUE_SOON:
        return (f"群众意见答复期限临近：{opinion}", f"{about}，答复期限为{cn_date(due)}，还有{left}天，请按期答复。")
    if stage == clocks.DUE_TODAY:
        return (f"群众意见今日到期：{opinion}", f"{about}，答复期限为今天（{cn_date(due)}），请于今日内答复。")
    return (f"群众意见逾期未答复：{opinion}", f"{about}，答复期限{cn_date(due)}已过，已逾期{-left}天，请尽快答复。")


def opinion_reminders_send(*, today: dt.date) -> int:
    """Each day (beat): the staff of the unit an opinion was forwarded to hear of its reply due within 15 days, on
    its due date, then weekly while overdue (clocks.reply_reminder, as suggestions); an overdue one is copied to
    the liaison office and the staff of the opinion's street committee. The outbox key makes each go out once."""
    awaiting = (Opinion.objects.filter(status="forwarded", reply_due__lte=clocks.due_soon_until(today))
                .select_related("forwarded_to", "street_committee").order_by("pk"))
    units: dict[int, list] = {}
    streets: dict[int, list] = {}
    office: list | None = None
    made = 0
    unknown: list[tuple[Opinion, clocks.CalendarUnknown]] = []  # --- gaps14b: told to the office, as suggestions
    cal = current_calendar()
    for opinion in awaiting:
        try:
            owed = clocks.reply_reminder(opinion.reply_due, today, cal=cal)
        except clocks.CalendarUnknown as exc:
            log.warning("opinion %s: no reminder on %s, the holiday calendar does not know %s", opinion.pk, today, exc.day)
            unknown.append((opinion, exc))
            continue
        if owed is None:
            continue
        stage, period = owed
        if opinion.forwarded_to_id not in units:
            units[opinion.forwarded_to_id] = unit_users(opinion.forwarded_to_id)
        subject, body = opinion_reminder_text(opinion, stage, opinion.reply_due, today)
        unit_name = opinion.forwarded_to.name
        messages = [(user, subject, f"{unit_name}：{body}") for user in units[opinion.forwarded_to_id]]
        if stage == clocks.OVERDUE:
            office = role_users(Role.LIAISON_OFFICE) if office is None else office
            if opinion.street_committee_id not in streets:
                streets[opinion.street_committee_id] = role_users(Role.STREET_STAFF,
                                                                  street_committee_id=opinion.street_committee_id)
            told = {user.pk for user, _, _ in messages}
            for user in [*streets[opinion.street_committee_id], *office]:
                if user.pk not in told:
                    told.add(user.pk)
                    messages.append((user, f"{subject}（抄送）", f"抄送：转办单位{unit_name}，{body}"))
        for user, subject_, body_ in messages:
            made += bool(notify(
                recipient=user, reason=OPINION_REMINDER_REASONS[stage], object_key=f"opinion:{opinion.pk}",
                period=period, subject=subject_, body=body_, url=reverse("opinions:detail", args=[opinion.pk]),
                street_committee=opinion.street_committee_id,
            ))
    if unknown:
        made += calendar_outdated_notify(unknown=unknown, what="群众意见", object_key="calendar:opinions",
                                         url=_with_query(reverse("opinions:list"), overdue="true"))
    return made


def demo_opinion_reminders_send(sender, *, today: dt.date, **kwargs) -> int:
    """Receiver of core's `demo_loaded`: the day's opinion reminders, so the demo inboxes show them."""
    return opinion_reminders_send(today=today)
