"""Writes for activities and participations: validated, permission-checked, in history."""
from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from deputies.models import Deputy
from deputies.selectors import deputy_list
from dutyadmin.checkin import CheckinDays, check_token, deputy_refusal, make_token, refusal_from
from dutyadmin.scope import scope_for
from dutyadmin.bulk import boolean, bulk_upsert, one_of
from dutyadmin.dates import after_today, future_activity_message
from dutyadmin.permissions import allows
from dutyadmin.roles import Role
from dutyadmin.services import Conflict, confirmed_refusal, record_delete, record_save
from dutyadmin.year_lock import assert_year_open

from .choices import ImportStatus, OrganizerLevel, Outcome, SelfRegistrationStatus
from .importing.files import ImportRefused, check_upload
from .importing.rows import ImportPlan, plan_import
from .importing.saving import plan_save, plan_validate
from .importing.sheet import Sheet, read_sheet
from .models import Activity, ActivityImport, ActivityMaterial, Participation, SelfRegistration
from .signals import invitation_answered, invitations_sent, self_registration_reviewed


def _can_edit_activity(user, activity: Activity) -> bool:
    return allows(scope_for(user), "enter_activity", activity)


def activity_save(*, user, activity: Activity | None = None, data: dict) -> Activity:
    """Create or change an activity; its organizer (by street) must be the user's to edit, before and after."""
    activity = activity or Activity()
    if activity.pk and not _can_edit_activity(user, activity):
        raise PermissionDenied("您无权修改这项活动。")
    for name, value in data.items():
        setattr(activity, name, value)
    return record_save(activity, user=user, allowed=_can_edit_activity(user, activity))


def activity_delete(*, user, activity: Activity) -> None:
    """Delete an activity and, with it, its participation records (kept in history) and materials."""
    files = list(activity.materials.values_list("file", flat=True))
    record_delete(activity, user=user, allowed=_can_edit_activity(user, activity))
    _delete_files_on_commit(files)


def _delete_files_on_commit(names: list[str]) -> None:
    """Remove stored files once the rows that named them are gone for good."""

    def delete() -> None:
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete)


def _can_edit_participation(user, participation: Participation) -> bool:
    return allows(user, "enter_participation", participation)


def participation_save(*, user, participation: Participation | None = None, data: dict) -> Participation:
    """Create or change one deputy's participation; one per activity and deputy."""
    participation = participation or Participation()
    if participation.pk and not _can_edit_participation(user, participation):
        raise PermissionDenied("您无权修改这条参加记录。")
    for name, value in data.items():
        setattr(participation, name, value)
    allowed = (
        participation.activity_id is not None
        and participation.deputy_id is not None
        and _can_edit_participation(user, participation)
    )
    return record_save(participation, user=user, allowed=allowed)


def participation_delete(*, user, participation: Participation) -> None:
    record_delete(participation, user=user, allowed=_can_edit_participation(user, participation))


def participation_bulk_upsert(*, user, activity: Activity, records: list) -> dict[str, int]:
    """Record an activity's invitations and outcomes, all rows or none.

    records: [{"deputy": id, "confirmed": bool, "outcome": "pending" | "attended" | "excused" |
    "absent"}, ...]; confirmed and outcome may be left out (a new record then takes the defaults,
    an existing one keeps its value). Every row is validated first (well-formed, deputy in the
    user's scope and of the activity's term, not repeated, values valid, the user may edit it);
    any bad row raises one ValidationError naming every bad row. Then records are created or
    updated in one transaction, with history, in a fixed number of queries.
    Returns {"created", "updated", "unchanged"}.
    """
    scope = scope_for(user)
    if not _can_edit_activity(user, activity):
        raise PermissionDenied("您无权登记这项活动的参加情况。")
    invited_before = set(Participation.objects.filter(activity=activity).values_list("deputy_id", flat=True))

    def deputy_problem(deputy) -> str | None:
        if deputy.term_id != activity.term_id:
            return f"代表 {deputy.pk} 与活动不属于同一届。"
        if not allows(scope, "enter_participation", Participation(activity=activity, deputy=deputy)):
            return f"您无权登记代表 {deputy.pk} 的参加情况。"
        return None

    valid_outcome = one_of(Outcome)
    future = after_today(activity.date)

    def outcome_check(index: int, row: dict, field: str, errors) -> None:
        valid_outcome(index, row, field, errors)
        # an outcome is known once the activity has been held (Participation.clean)
        if future and row.get(field) in Outcome.values and row[field] != Outcome.PENDING:
            errors.add(index, field, future_activity_message(activity.date, Outcome(row[field]).label))

    with transaction.atomic():
        result = bulk_upsert(
            user=user,
            model=Participation,
            parent=("activity", activity),
            records=records,
            fields={"outcome": outcome_check, "confirmed": boolean},
            defaults={"confirmed": False, "outcome": Outcome.PENDING},
            deputies=deputy_list(user=user).only("pk", "term_id", "street_committee_id", "delegation_id"),
            deputy_problem=deputy_problem,
            # a year approved in review is locked
            before_save=lambda deputies: assert_year_open(deputies=deputies, dates=[activity.date]),
            conflict_message="参加记录已被他人同时修改,请刷新后重试。",  # another registration saved at the same moment
        )
        if result["created"] and activity.date >= timezone.localdate():  # invitations to an activity still to come
            new = set(Participation.objects.filter(activity=activity, outcome=Outcome.PENDING)
                      .values_list("deputy_id", flat=True)) - invited_before
            if new:
                invitations_sent.send(sender=Participation, activity=activity, deputy_ids=sorted(new))
    return result


def participation_roster_save(*, user, activity: Activity, records: list, remove: list[int]) -> dict[str, int]:
    """Save an activity's invitees' confirmations and outcomes and remove some invitees, all or nothing."""
    with transaction.atomic():
        result = participation_bulk_upsert(user=user, activity=activity, records=records) if records else {
            "created": 0, "updated": 0, "unchanged": 0}
        removed = 0
        scope = scope_for(user)
        for participation in (
            Participation.objects.filter(activity=activity, deputy_id__in=remove).select_related("deputy", "activity")
        ):
            if not allows(scope, "enter_participation", participation):
                raise PermissionDenied("您无权移除这位代表的参加记录。")
            record_delete(participation, user=user)
            removed += 1
    return {**result, "removed": removed}


def invitation_answer(*, user, participation: Participation, attend: bool, reason: str = "") -> Participation:
    """The deputy answers their invitation before the activity: 确定参加 (confirmed, so A9.3 counts an
    absence from it), or 不能参加 with a reason, which asks the organizer for leave (the organizer then
    records the outcome 请假). An answer may be changed until the activity's day."""
    if not allows(user, "answer_invitation", participation):
        raise PermissionDenied("只有受邀代表本人可以答复邀请。")
    if not isinstance(attend, bool):  # "false" from a form is not a yes: callers parse their input
        raise ValidationError({"attend": "请选择确定参加或不能参加。"})
    reason = (reason or "").strip()
    if not attend and not reason:
        raise ValidationError({"decline_reason": "请填写不能参加的原因,组织方据此决定是否准假。"})
    limit = Participation._meta.get_field("decline_reason").max_length
    if len(reason) > limit:
        raise ValidationError({"decline_reason": f"原因最多{limit}个字,现在是{len(reason)}个字。"})
    with transaction.atomic():
        locked = Participation.objects.select_for_update(of=("self",)).select_related("activity", "deputy").get(
            pk=participation.pk)
        if locked.activity.date < timezone.localdate():
            raise ValidationError("活动已经举行,不能再答复邀请。")
        if locked.outcome != Outcome.PENDING:
            raise ValidationError(f"组织方已登记参加情况“{locked.get_outcome_display()}”,不能再答复。")
        locked.confirmed = attend
        locked.decline_reason = "" if attend else reason
        locked.answered_at = timezone.now()
        saved = record_save(locked, user=user)
        invitation_answered.send(sender=Participation, participation=saved)
    return saved


# --- materials ----------------------------------------------------------------------------------

MATERIAL_MAX_BYTES = 20 * 1024 * 1024
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc and .xls
_ZIP = b"PK\x03\x04"  # .docx and .xlsx
# What a material's first bytes must be, by extension: a renamed file is refused.
MATERIAL_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "doc": (_OLE2,),
    "docx": (_ZIP,),
    "xls": (_OLE2,),
    "xlsx": (_ZIP,),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
MATERIAL_TYPES_TEXT = "pdf、doc、docx、xls、xlsx、jpg、png"


def material_upload_checked(upload, *, field: str = "file") -> tuple[str, str]:
    """The upload's clean file name and type (pdf, doc, docx, xls, xlsx, jpg, png), or a ValidationError on
    `field`: empty, over 20 MB, another type, or content that is not what the extension says. Shared by the
    activities' materials and the suggestions' reply attachments."""
    name = PurePath((upload.name or "").replace("\\", "/")).name.strip()[:200]
    extension = PurePath(name).suffix.lower().lstrip(".")
    if not upload.size:
        raise ValidationError({field: "文件是空的,请重新选择。"})
    if upload.size > MATERIAL_MAX_BYTES:
        raise ValidationError(
            {field: f"文件太大({upload.size / 1024 / 1024:.1f} MB),每个材料不能超过 {MATERIAL_MAX_BYTES // 1024 // 1024} MB。"}
        )
    if extension not in MATERIAL_SIGNATURES:
        raise ValidationError({field: f"只能上传 {MATERIAL_TYPES_TEXT} 文件。"})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(MATERIAL_SIGNATURES[extension]):
        raise ValidationError({field: f"文件内容与扩展名 .{extension} 不符,请上传真实的 {MATERIAL_TYPES_TEXT} 文件。"})
    return name, "jpg" if extension == "jpeg" else extension


def activity_material_add(*, user, activity: Activity, upload) -> ActivityMaterial:
    """Attach a file (pdf, Word, Excel, jpg or png, at most 20 MB) to an activity the user organizes."""
    if not _can_edit_activity(user, activity):
        raise PermissionDenied("您无权为这项活动上传材料。")
    name, file_type = material_upload_checked(upload)
    material = ActivityMaterial(
        activity=activity, name=name, file_type=file_type, size=upload.size,
        uploaded_by=user if user.is_authenticated else None,
    )
    material.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            material.save()
    except Exception:
        material.file.delete(save=False)
        raise
    return material


def activity_material_delete(*, user, material: ActivityMaterial) -> None:
    """Remove a material and its file."""
    if not _can_edit_activity(user, material.activity):
        raise PermissionDenied("您无权删除这项活动的材料。")
    name = material.file.name
    with transaction.atomic():
        material.delete()
        _delete_files_on_commit([name])


# --- personal registration (个人登记) -----------------------------------------------------------

SELF_REGISTRATION_FIELDS = ("kind", "title", "date", "location", "description")


def self_registration_save(*, user, registration: SelfRegistration | None = None, data: dict) -> SelfRegistration:
    """A deputy records an activity they took part in, or corrects a pending or returned one; it awaits review."""
    scope = scope_for(user)
    if not allows(scope, "self_register"):
        raise PermissionDenied("只有代表本人可以进行个人登记。")
    with transaction.atomic():
        if registration is None:
            registration = SelfRegistration(deputy_id=scope.deputy_id)
        else:
            registration = SelfRegistration.objects.select_for_update().get(pk=registration.pk)
            if not allows(scope, "change_own_entry", registration):  # read under the lock: an approval just made counts
                raise self_registration_refusal(scope, registration) or PermissionDenied("只能修改自己的个人登记。")
        for name in SELF_REGISTRATION_FIELDS:
            if name in data:
                setattr(registration, name, data[name])
        # A correction after a return is a resubmission: back in the queue, the reason stays visible.
        registration.status = SelfRegistrationStatus.PENDING
        registration.submitted_at = timezone.now()
        registration.submitted_by = user
        registration.reviewed_by = None
        registration.reviewed_at = None
        return record_save(registration, user=user)


def self_registration_refusal(scope, registration: SelfRegistration) -> PermissionDenied | None:
    """Why the deputy may no longer change their own registration: the street's staff approved it (who, when)."""
    if registration.staff_confirmation is None or registration.deputy_id != scope.deputy_id:
        return None
    return confirmed_refusal(registration.staff_confirmation, what="这条个人登记", done="审核通过")


def _registration_state(registration: SelfRegistration) -> dict:
    """The current state a 409 answers with (a repeat, or another reviewer first)."""
    return {"status": registration.status, "reviewed_by": registration.reviewed_by_id,
            "reviewed_at": registration.reviewed_at.isoformat() if registration.reviewed_at else None,
            "return_reason": registration.return_reason}


def _locked_for_review(user, registration: SelfRegistration) -> SelfRegistration:
    locked = (
        SelfRegistration.objects.select_for_update(of=("self",))
        .select_related("deputy", "deputy__term")
        .get(pk=registration.pk)
    )
    if not allows(user, "review_self_registration", locked.deputy):
        raise PermissionDenied("只有该代表所在街工委的工作人员可以审核这条登记。")
    if locked.status != SelfRegistrationStatus.PENDING:  # decided already (a repeat, another reviewer first)
        by = locked.reviewed_by
        who = f"已由{by.get_full_name() or by.get_username()}审核，" if by is not None else ""
        raise Conflict(f"这条登记{who}当前状态为“{locked.get_status_display()}”，不能再审核。",
                       current=_registration_state(locked))
    return locked


def self_registration_approve(*, user, registration: SelfRegistration) -> SelfRegistration:
    """Approve: create the activity (organized by the deputy, in their street) and their attended participation."""
    with transaction.atomic():
        locked = _locked_for_review(user, registration)
        deputy = locked.deputy
        activity = record_save(
            Activity(
                term_id=deputy.term_id, kind=locked.kind, title=locked.title, date=locked.date,
                organizer_level=OrganizerLevel.DEPUTY, street_committee_id=deputy.street_committee_id,
                location=locked.location, description=locked.description,
            ),
            user=user,
        )
        record_save(
            Participation(activity=activity, deputy=deputy, confirmed=True, outcome=Outcome.ATTENDED), user=user
        )
        locked.status = SelfRegistrationStatus.APPROVED
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        locked.activity = activity
        saved = record_save(locked, user=user)
        self_registration_reviewed.send(sender=SelfRegistration, registration=saved)
        return saved


def self_registration_return(*, user, registration: SelfRegistration, reason: str) -> SelfRegistration:
    """Return to the deputy with a reason; nothing counts until it is corrected and approved."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"return_reason": "请填写退回原因,告诉代表需要补充或修改什么。"})
    with transaction.atomic():
        locked = _locked_for_review(user, registration)
        locked.status = SelfRegistrationStatus.RETURNED
        locked.return_reason = reason[:1000]
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        saved = record_save(locked, user=user)
        self_registration_reviewed.send(sender=SelfRegistration, registration=saved)
        return saved


# --- spreadsheet import -------------------------------------------------------------------------


def _plan(*, user, sheet: Sheet) -> ImportPlan:
    """The sheet's rows checked against the database, then as every write of the services is checked."""
    plan = plan_import(user=user, sheet=sheet)
    plan_validate(plan)
    return plan


def activity_import_upload(*, user, upload) -> ActivityImport:
    """Check an uploaded spreadsheet row by row; keep it with its problems, or as ready to confirm.

    A file that cannot be read at all (not an xlsx, too big, a zip bomb, wrong headers, merged
    cells…) raises ValidationError({"file": …}) and nothing is stored.
    """
    scope = scope_for(user)
    if not allows(scope, "import_spreadsheet"):
        raise PermissionDenied("您的角色不能导入活动表格。")
    try:
        check_upload(upload)
        sheet = read_sheet(upload)
    except ImportRefused as exc:
        raise ValidationError({"file": str(exc)}) from exc
    plan = _plan(user=user, sheet=sheet)
    record = ActivityImport(
        original_name=PurePath((upload.name or "").replace("\\", "/")).name[:200] or "未命名.xlsx",
        user=user,
        street_committee_id=plan.street_committee_id,
        status=ImportStatus.READY if plan.ok else ImportStatus.INVALID,
        row_count=plan.row_count,
        activity_count=len(plan.activities),
        participation_count=plan.participation_count,
        errors=plan.problems_json(),
        summary=plan.summary_json() if plan.ok else [],
    )
    upload.seek(0)
    record.file.save("import.xlsx", upload, save=False)
    try:
        with transaction.atomic():
            record.save()
    except Exception:
        record.file.delete(save=False)
        raise
    return record


def activity_import_confirm(*, user, activity_import: ActivityImport) -> ActivityImport:
    """Save every row of a checked import in one transaction; the rows are checked again first."""
    if activity_import.user_id != user.pk:
        raise PermissionDenied("只有上传这份表格的人可以确认导入。")
    if activity_import.status != ImportStatus.READY:
        raise ValidationError(f"这份表格的状态是“{activity_import.get_status_display()}”,不能导入。")
    try:
        with activity_import.file.open("rb") as handle:
            sheet = read_sheet(handle)
    except (ImportRefused, FileNotFoundError) as exc:
        raise ValidationError("上传的表格文件已无法读取,请重新上传。") from exc
    # Checked again: deputies, scope, locks or existing activities may have changed since the preview.
    plan = _plan(user=user, sheet=sheet)
    with transaction.atomic():
        locked = ActivityImport.objects.select_for_update().get(pk=activity_import.pk)
        if locked.status != ImportStatus.READY:
            raise ValidationError(f"这份表格的状态是“{locked.get_status_display()}”,不能导入。")
        if not plan.ok:
            locked.status = ImportStatus.INVALID
            locked.errors = plan.problems_json()
            locked.summary = []
            locked.save(update_fields=["status", "errors", "summary"])
            return locked
        activities, participations = plan_save(user=user, plan=plan, record=locked)
        locked.status = ImportStatus.IMPORTED
        locked.imported_at = timezone.now()
        locked.row_count = plan.row_count
        locked.activity_count = activities
        locked.participation_count = participations
        locked.save(update_fields=["status", "imported_at", "row_count", "activity_count", "participation_count"])
    return locked


# --- checkin: a deputy checks in by scanning the activity's code (自助签到). ---


def activity_checkin_days(activity: Activity) -> CheckinDays:
    return CheckinDays(activity.date, activity.end_date or activity.date)


def activity_checkin_token(activity: Activity) -> str:
    return make_token("activity", activity.pk, activity_checkin_days(activity))


def participation_self_check_in(*, user, activity: Activity, token: str, record: bool = True) -> tuple[Participation | None, bool]:
    """Record the user (a deputy) attended the activity by its check-in code, marked 自助签到.

    A deputy not invited is added, marked. Raises CheckinRefused (Chinese message) for a bad or forged
    token, another activity's or day's token, not a deputy, another term, outside service or suspended,
    a locked year. Returns (participation, already): already=True when they had checked in before
    (nothing changes). record=False only checks (the page before the deputy confirms)."""
    today = timezone.localdate()
    check_token("activity", activity.pk, token, activity_checkin_days(activity), today=today)
    scope = scope_for(user)
    deputy = None
    if Role.DEPUTY in scope.roles and scope.deputy_id is not None:
        deputy = Deputy.objects.filter(pk=scope.deputy_id).first()
    refusal = deputy_refusal(deputy, term_id=activity.term_id, day=today)
    if refusal:
        raise refusal
    participation = Participation.objects.filter(activity=activity, deputy=deputy).first()
    if participation and participation.self_checked_in:
        return participation, True
    if not record:
        return participation, False
    participation = participation or Participation(activity=activity, deputy=deputy)
    data = {"outcome": Outcome.ATTENDED, "self_checked_in": True, "self_checked_in_at": timezone.now()}
    try:
        return record_save(participation, user=user, data=data), False
    except ValidationError as exc:
        raise refusal_from(exc) from exc
