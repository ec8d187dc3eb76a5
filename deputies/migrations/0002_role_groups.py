from django.db import migrations

ROLES = [
    "street_staff",
    "street_director",
    "deputy",
    "delegation_head",
    "secretariat",
    "presidium_secretary_general",
    "sc_office",
    "sc_leader",
    "liaison_office",
    "admin",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("deputies", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
