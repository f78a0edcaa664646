# Kept so that migrations depending on it (voting.0001_initial) still resolve. The constraint's
# state list is now sorted in 0001_initial, so there is nothing left to do here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("changes", "0001_initial"),
    ]

    operations: list = []
