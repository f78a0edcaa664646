"""The one access check (panel.access): who may, and the words of the refusal."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from panel import access
from panel.errors import NotAllowed
from panel.models import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db]


def test_anonymous_is_never_allowed() -> None:
    assert not access.allowed(AnonymousUser(), Role.SECRETARIAT)
    assert not access.allowed(None, access.SECRETARIAT)
    with pytest.raises(NotAllowed) as refusal:
        access.require(AnonymousUser(), access.SECRETARIAT, doing="open a ballot")
    assert refusal.value.message == "Only the Secretariat may open a ballot."


def test_an_inactive_user_in_the_right_role_is_refused() -> None:
    user = UserFactory(role=Role.SECRETARIAT, is_active=False)
    assert not access.allowed(user, Role.SECRETARIAT)
    with pytest.raises(NotAllowed):
        access.require(user, access.SECRETARIAT, doing="open a ballot")


def test_the_wrong_role_is_refused_in_the_rules_words() -> None:
    user = UserFactory(role=Role.PANEL_MEMBER)
    with pytest.raises(NotAllowed) as refusal:
        access.require(user, access.SECRETARIAT, doing="withdraw a proposal")
    assert refusal.value.message == "Only the Secretariat may withdraw a proposal."
    assert refusal.value.rule == "secretariat_only"
    assert refusal.value.http_status == 403


def test_the_right_role_passes() -> None:
    access.require(UserFactory(role=Role.SECRETARIAT), access.SECRETARIAT, doing="x")
    access.require(UserFactory(role=Role.AUTHORITY), access.AUTHORITY, doing="x")
    assert access.allowed(UserFactory(role=Role.PANEL_ALTERNATE), access.PANEL)
    assert access.allowed(UserFactory(role=Role.PANEL_MEMBER), access.PANEL)
    assert not access.allowed(UserFactory(role=Role.SECRETARIAT), access.PANEL)


def test_a_superuser_counts_as_the_secretariat_and_nothing_else() -> None:
    admin = UserFactory(role=Role.PUBLIC, is_superuser=True, is_staff=True)
    assert access.allowed(admin, access.SECRETARIAT)
    assert access.allowed(admin, Role.SECRETARIAT)
    assert access.allowed(admin, access.SECRETARIAT_OR_AUTHORITY)
    assert not access.allowed(admin, access.AUTHORITY)
    assert not access.allowed(admin, access.PANEL)


def test_secretariat_or_authority_admits_both_and_names_both() -> None:
    assert access.allowed(UserFactory(role=Role.SECRETARIAT), access.SECRETARIAT_OR_AUTHORITY)
    assert access.allowed(UserFactory(role=Role.AUTHORITY), access.SECRETARIAT_OR_AUTHORITY)
    with pytest.raises(NotAllowed) as refusal:
        access.require(
            UserFactory(role=Role.PANEL_MEMBER), access.SECRETARIAT_OR_AUTHORITY, doing="see it"
        )
    assert refusal.value.message == "Only the Secretariat or the Authority may see it."
    assert refusal.value.rule == "secretariat_or_authority"


def test_plain_roles_and_sets_of_roles() -> None:
    consumer = UserFactory(role=Role.CONSUMER_BODY)
    assert access.allowed(consumer, Role.CONSUMER_BODY)
    assert access.allowed(consumer, [Role.CONSUMER_BODY, Role.AUTHORITY])
    assert access.allowed(consumer, (r for r in [Role.CONSUMER_BODY]))
    assert not access.allowed(consumer, Role.AUTHORITY)
    with pytest.raises(NotAllowed) as refusal:
        access.require(consumer, [Role.SECRETARIAT, Role.AUTHORITY], doing="decide")
    assert refusal.value.message == "Only the Authority or the Secretariat may decide."


def test_a_clause_given_as_the_rule_is_cited() -> None:
    with pytest.raises(NotAllowed) as refusal:
        access.require(UserFactory(role=Role.PUBLIC), access.SECRETARIAT, doing="x", rule="11.29")
    assert refusal.value.rule == "11.29"


def test_a_custom_rule_is_a_predicate_on_an_active_signed_in_user() -> None:
    acme = access.Rule("acme_only", lambda u: u.organisation == "Acme", "Acme's staff")
    assert access.allowed(UserFactory(organisation="Acme"), acme)
    assert not access.allowed(UserFactory(organisation="Acme", is_active=False), acme)
    with pytest.raises(NotAllowed) as refusal:
        access.require(UserFactory(organisation="Other"), acme, doing="sign")
    assert refusal.value.message == "Only Acme's staff may sign."


# -- the view decorator ----------------------------------------------------------------------


@access.role_required(access.SECRETARIAT, doing="see the outbox")
def outbox(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(f"outbox {pk}")


def _get(user: object) -> HttpRequest:
    request = RequestFactory().get("/outbox/7/?page=2")
    request.user = user  # type: ignore[assignment]
    return request


def test_role_required_sends_anonymous_visitors_to_sign_in() -> None:
    response = outbox(_get(AnonymousUser()), pk=7)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/outbox/7/%3Fpage%3D2"


def test_role_required_refuses_the_wrong_role_with_the_reason() -> None:
    with pytest.raises(PermissionDenied) as refusal:
        outbox(_get(UserFactory(role=Role.AUTHORITY)), pk=7)
    assert str(refusal.value) == "Only the Secretariat may see the outbox."


def test_role_required_refuses_an_inactive_user() -> None:
    with pytest.raises(PermissionDenied):
        outbox(_get(UserFactory(role=Role.SECRETARIAT, is_active=False)), pk=7)


def test_role_required_lets_the_role_through_with_the_views_arguments() -> None:
    response = outbox(_get(UserFactory(role=Role.SECRETARIAT)), pk=7)
    assert response.status_code == 200
    assert response.content == b"outbox 7"
    assert outbox.__name__ == "outbox"
