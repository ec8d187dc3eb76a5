"""factory_boy factories for every model, and make_user for a user of a role in a scope."""
import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from activities.choices import ActivityKind, OrganizerLevel, Outcome
from activities.models import Activity, Participation
from deputies.choices import DeputyStatus, Gender
from deputies.choices import HandlingUnitKind
from deputies.models import (
    Contact, ContactAssignment, Delegation, Deputy, HandlingUnit, StreetCommittee, Suspension, Term, UserScope,
)
from meetings.choices import AttendanceStatus, ContributionKind, HalfDay, LeaveRoute, MeetingKind
from meetings.models import Attendance, CongressSession, Contribution, LeaveRequest, Meeting
from oversight.models import Intervention

User = get_user_model()
PASSWORD = "pass-1234"


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("number",)

    number = 17
    name = factory.LazyAttribute(lambda o: f"第{o.number}届")
    start_date = dt.date(2022, 1, 1)
    end_date = dt.date(2026, 12, 31)


class StreetCommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StreetCommittee
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"街道{n}")
    code = factory.Sequence(lambda n: f"S{n:03d}")


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    term = factory.SubFactory(TermFactory)
    name = factory.Sequence(lambda n: f"第{n}代表团")


class DeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deputy

    term = factory.SubFactory(TermFactory)
    name = factory.Sequence(lambda n: f"代表{n}")
    gender = Gender.FEMALE
    street_committee = factory.SubFactory(StreetCommitteeFactory)
    delegation = factory.SubFactory(DelegationFactory, term=factory.SelfAttribute("..term"))
    status = DeputyStatus.ACTIVE
    service_start = factory.LazyAttribute(lambda o: o.term.start_date)
    service_end = None


class ContactAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactAssignment

    deputy = factory.SubFactory(DeputyFactory)
    term = factory.SelfAttribute("deputy.term")
    member = factory.LazyFunction(lambda: make_user("sc_member"))
    member_name = factory.LazyAttribute(lambda o: o.member.get_full_name() or o.member.username)


class CongressSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CongressSession

    term = factory.SubFactory(TermFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"第{o.number}次会议")
    start_date = dt.date(2024, 1, 10)
    end_date = dt.date(2024, 1, 13)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    session = factory.SubFactory(CongressSessionFactory)
    kind = MeetingKind.PLENARY
    title = factory.Sequence(lambda n: f"全体会议{n}")
    date = factory.SelfAttribute("session.start_date")
    half_day = HalfDay.AM


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    deputy = factory.SubFactory(DeputyFactory, term=factory.SelfAttribute("..meeting.session.term"))
    status = AttendanceStatus.PRESENT


class LeaveRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeaveRequest

    deputy = factory.SubFactory(DeputyFactory)
    session = factory.SubFactory(CongressSessionFactory, term=factory.SelfAttribute("..deputy.term"))
    route = LeaveRoute.WHOLE_SESSION
    reason = "出差"


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    deputy = factory.SubFactory(DeputyFactory)
    session = None
    kind = ContributionKind.SUGGESTION
    date = dt.date(2024, 1, 11)
    title = factory.Sequence(lambda n: f"关于改进工作的建议{n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    term = factory.SubFactory(TermFactory)
    kind = ActivityKind.INSPECTION
    title = factory.Sequence(lambda n: f"集中视察{n}")
    date = dt.date(2024, 5, 10)
    organizer_level = OrganizerLevel.STANDING_COMMITTEE
    street_committee = None


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    activity = factory.SubFactory(ActivityFactory)
    deputy = factory.SubFactory(DeputyFactory, term=factory.SelfAttribute("..activity.term"))
    confirmed = True
    outcome = Outcome.ATTENDED


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    deputy = factory.SubFactory(DeputyFactory)
    rule = "session_absence_talk"
    kind = "talk"
    date = dt.date(2024, 2, 1)
    conducted_by = "团长"


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"区承办局{n}")
    code = factory.Sequence(lambda n: f"U{n:03d}")
    kind = HandlingUnitKind.GOVERNMENT_DEPARTMENT


def make_user(role: str | None = None, *, username: str | None = None, street_committee=None, delegation=None,
              deputy=None, handling_unit=None, superuser: bool = False):
    """A user with one role (a group) linked to their scope; password is PASSWORD."""
    username = username or f"{role or 'user'}-{User.objects.count() + 1}"
    user = User.objects.create_user(username=username, password=PASSWORD, is_superuser=superuser,
                                    is_staff=superuser or role == "admin")
    if role:
        # get_or_create: transactional tests flush the groups that the migration made.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    UserScope.objects.create(user=user, street_committee=street_committee, delegation=delegation, deputy=deputy,
                             handling_unit=handling_unit)
    return user


class SuspensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suspension

    deputy = factory.SubFactory(DeputyFactory)
    start_date = dt.date(2025, 3, 1)
    end_date = dt.date(2025, 5, 31)
    reason = "因涉嫌犯罪被羁押，依法暂时停止执行代表职务。"


# --- contacts: A10.5 contacts of standing-committee members -------------------------------------------
class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    assignment = factory.SubFactory(ContactAssignmentFactory)
    date = dt.date(2025, 3, 1)
    mode = "visit"
    notes = ""
