"""manage.py enrolment_code: the first Secretariat account of a new deployment gets its code."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from panel.models import EnrolmentCode, Role
from tests.factories import UserFactory, make_secretariat

pytestmark = pytest.mark.django_db


def test_the_first_secretariat_user_gets_a_code_printed_once_and_stored_hashed():
    first = make_secretariat()
    out = io.StringIO()
    call_command("enrolment_code", first.username, stdout=out)
    plain = out.getvalue().rsplit(": ", 1)[1].strip()
    code = EnrolmentCode.objects.get(user=first)
    assert check_password(plain, code.code_hash) and plain not in code.code_hash


def test_not_for_other_roles_nor_for_one_with_a_second_factor():
    party_rep = UserFactory(role=Role.PARTY_REPRESENTATIVE)
    with pytest.raises(CommandError, match="username: only a Secretariat account"):
        call_command("enrolment_code", party_rep.username)
    enrolled = make_secretariat("sec2")
    TOTPDevice.objects.create(user=enrolled, name="phone", confirmed=True)
    with pytest.raises(CommandError, match="already has a second factor"):
        call_command("enrolment_code", enrolled.username)
    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command("enrolment_code", "nobody")
    assert not EnrolmentCode.objects.exists()
