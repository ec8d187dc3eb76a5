"""A10.5: a contact assignment names the standing-committee member as a user (`member`, DESIGN.md
contact-assignments/); member_name stays as the display name of older rows; contacts are logged (Contact)."""
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def link_members_by_name(apps, schema_editor):
    """Rows with only a name: link the sc_member user whose full name or username is that name (one match only)."""
    ContactAssignment = apps.get_model("deputies", "ContactAssignment")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    members = list(User.objects.filter(groups__name="sc_member"))
    by_name: dict[str, list] = {}
    for user in members:
        for name in {f"{user.last_name}{user.first_name}".strip(), f"{user.first_name} {user.last_name}".strip(),
                     user.username}:
            if name:
                by_name.setdefault(name, []).append(user)
    for row in ContactAssignment.objects.filter(member__isnull=True).exclude(member_name=""):
        found = by_name.get(row.member_name, [])
        if len(found) == 1:
            row.member = found[0]
            row.save(update_fields=["member"])


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0007_merge_0006_handling_unit_0006_suspension"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="contactassignment", name="contact_assignment_unique"),
        migrations.RenameField(model_name="contactassignment", old_name="member_user", new_name="member"),
        migrations.AlterField(
            model_name="contactassignment",
            name="member",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="contact_assignments", to=settings.AUTH_USER_MODEL, verbose_name="常委会组成人员",
            ),
        ),
        migrations.AlterField(
            model_name="contactassignment",
            name="member_name",
            field=models.CharField(blank=True, default="", max_length=50, verbose_name="常委会组成人员姓名(旧数据)"),
        ),
        migrations.RunPython(link_members_by_name, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="contactassignment",
            options={"ordering": ["term", "member_id", "deputy__name"], "verbose_name": "常委会组成人员联系代表",
                     "verbose_name_plural": "常委会组成人员联系代表"},
        ),
        migrations.AddConstraint(
            model_name="contactassignment",
            constraint=models.UniqueConstraint(fields=("term", "member", "deputy"),
                                               name="contact_assignment_member_unique"),
        ),
    ]
