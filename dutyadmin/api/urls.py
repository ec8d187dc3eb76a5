"""/api/v1/: one router for every app's viewsets (DESIGN.md, REST API contract)."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from activities.api.views import ActivityViewSet, CheckinView, ParticipationViewSet, SelfRegistrationViewSet
from deputies.api.views import (
    ContactAssignmentViewSet,
    ContactViewSet,
    DelegationViewSet,
    DeputyViewSet,
    StreetCommitteeViewSet,
    SuspensionViewSet,
    TermViewSet,
    ThresholdChangeViewSet,
)
from meetings.api.views import (
    CongressSessionViewSet,
    ContributionViewSet,
    LeaveRequestViewSet,
    MeetingViewSet,
)
from oversight.api.views import InterventionViewSet
from oversight.attendance.api import AttendanceViewSet
from oversight.suggestions.api import HandlingUnitViewSet, SuggestionViewSet
from oversight.opinions.api import OpinionViewSet  # --- opinions
from oversight.receptions.api import ReceptionRecommendationViewSet  # --- receptions
from deputies.api.views import UserViewSet  # --- users15

from .auth import ObtainTokenView

app_name = "api"

router = DefaultRouter()
router.register("terms", TermViewSet, basename="term")
router.register("threshold-changes", ThresholdChangeViewSet, basename="threshold-change")
router.register("street-committees", StreetCommitteeViewSet, basename="street-committee")
router.register("delegations", DelegationViewSet, basename="delegation")
router.register("deputies", DeputyViewSet, basename="deputy")
router.register("contact-assignments", ContactAssignmentViewSet, basename="contact-assignment")
router.register("suspensions", SuspensionViewSet, basename="suspension")
router.register("sessions", CongressSessionViewSet, basename="session")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("attendance", AttendanceViewSet, basename="attendance")
router.register("leave-requests", LeaveRequestViewSet, basename="leave-request")
router.register("contributions", ContributionViewSet, basename="contribution")
router.register("activities", ActivityViewSet, basename="activity")
router.register("participations", ParticipationViewSet, basename="participation")
router.register("self-registrations", SelfRegistrationViewSet, basename="self-registration")
router.register("interventions", InterventionViewSet, basename="intervention")
router.register("handling-units", HandlingUnitViewSet, basename="handling-unit")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
# --- contacts: A10.5 contacts of standing-committee members with their deputies
router.register("contacts", ContactViewSet, basename="contact")
# --- opinions: constituents' opinions (issue 14) ---
router.register("opinions", OpinionViewSet, basename="opinion")
router.register("reception-recommendations", ReceptionRecommendationViewSet, basename="reception-recommendation")
# --- users15: user accounts (admin only) ---
router.register("users", UserViewSet, basename="user")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("check-in/", CheckinView.as_view(), name="check-in"),  # --- gaps14a: a deputy's scan (自助签到)
    # Findings, data checks and handbooks (computed, read-only); before the router's deputies/ routes.
    path("", include("oversight.api.urls")),
    *router.urls,
]
