from django.db import migrations

ROLES = [
    "office_head", "office_staff", "clue_custodian", "leading_group_viewer", "group_leader",
    "group_member", "partner_user", "liaison_officer", "commission_receiver", "orgdept_receiver",
    "home_unit_contact", "pool_manager", "system_admin",
]  # fmt: skip


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    # The permissions each role holds are synced after every migrate (core.apps), because
    # permissions of later apps do not exist yet while this migration runs.
    operations = [migrations.RunPython(create_roles, delete_roles)]
