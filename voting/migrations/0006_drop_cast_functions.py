"""Every cast goes through the ORM service (voting.services.casting): the stored functions of
migrations 0003 and 0005 are dropped."""

from django.db import migrations

DROP = [
    "DROP FUNCTION IF EXISTS voting_token_cast("
    "bigint, text, bigint, text, bigint, text, text, text, text, jsonb)",
    "DROP FUNCTION IF EXISTS voting_append_cast("
    "bigint, bigint, bigint, timestamptz, bigint[], text[], text, text, text)",
    "DROP FUNCTION IF EXISTS voting_cast_facts(bigint, text, bigint, text, bigint[])",
]


def drop_functions(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("voting", "0005_token_cast_function")]

    operations = [migrations.RunPython(drop_functions, migrations.RunPython.noop)]
