"""Every date the Secretariat enters lies within 1990-2200; a step already taken is not dated
after today nor before the step it follows. The service is the rule, the form only helps."""

import datetime as dt

import pytest
from django.utils import timezone

from changes import services
from changes.forms.transitions import TransitionForm
from changes.forms.working_groups import DissolveForm, MeetingForm
from changes.services import MemberSpec
from changes.states import State
from panel.errors import DomainError
from panel.forms.fields import DateField, past_date_field
from panel.models import ClosureDay
from panel.services.register import register_row_save

from .factories import proposal_in

D = dt.date
pytestmark = pytest.mark.django_db
ABSURD = ["9999-12-31", "0001-01-01", "1899-06-30"]


@pytest.mark.parametrize("typed", ABSURD)
def test_the_date_field_refuses_absurd_years(typed):
    field = DateField()
    with pytest.raises(Exception, match="between 1990 and 2200"):
        field.clean(typed)
    assert field.clean("2027-03-01") == D(2027, 3, 1)


def test_a_step_already_taken_is_not_dated_tomorrow():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(Exception, match="no later than today"):
        past_date_field().clean(tomorrow.isoformat())
    form = DissolveForm({"reason": "done", "on": tomorrow.isoformat()})
    assert not form.is_valid() and "on" in form.errors


@pytest.mark.parametrize("typed", ABSURD)
def test_desk_forms_name_the_date_field(typed):
    form = TransitionForm(
        {"implementation_date": typed, "timetable": "Report | 2027-05-01"},
        action="authority_timetable_direction",
    )
    assert not form.is_valid() and "implementation_date" in form.errors
    dissolve = DissolveForm({"reason": "done", "on": typed})
    assert not dissolve.is_valid() and "on" in dissolve.errors
    meeting = MeetingForm({"held_on": typed, "agenda": "Items"})
    assert not meeting.is_valid() and "held_on" in meeting.errors


@pytest.mark.parametrize("day", [D(9999, 12, 31), D(1, 1, 1)])
def test_a_closure_day_out_of_range_is_refused_by_the_register_service(secretariat, day):
    with pytest.raises(DomainError, match="between 1990 and 2200") as refused:
        register_row_save(by=secretariat, row=ClosureDay(day=day, reason="Typo"))
    assert refused.value.field == "day"
    assert not ClosureDay.objects.exists()


@pytest.mark.parametrize("day", [D(9999, 12, 31), D(1, 1, 1)])
def test_a_significant_code_review_out_of_range_is_refused(authority, day):
    with pytest.raises(DomainError, match="between 1990 and 2200") as refused:
        services.scr_create(by=authority, reference="SCR9", title="Typo", starts_on=day)
    assert refused.value.field == "starts_on"
    scr = services.scr_create(
        by=authority, reference="SCR1", title="Access", starts_on=D(2026, 1, 5)
    )
    with pytest.raises(DomainError, match="before the day it started") as refused:
        services.scr_end(scr=scr, by=authority, ends_on=D(2025, 12, 1))
    assert refused.value.field == "ends_on"


def test_a_proposed_implementation_date_out_of_range_is_refused(rep, party):
    with pytest.raises(DomainError, match="10.4.9") as refused:
        services.proposal_save_draft(
            by=rep,
            proposer_kind="party",
            proposer_party=party,
            title="t",
            proposed_implementation_date=D(9999, 12, 31),
        )
    assert refused.value.field == "proposed_implementation_date"


def test_a_step_is_not_dated_before_the_step_it_follows_nor_in_year_one(rep, party, secretariat):
    p = proposal_in(State.SUBMITTED, raised_by=rep, party=party, today=D(2027, 3, 1))
    p = services.proposal_transition(
        proposal=p,
        action="refer_to_panel",
        by=secretariat,
        initial_assessment="x",
        today=D(2027, 3, 1),
    )
    for day, words in ((D(1, 1, 1), "between 1990 and 2200"), (D(2027, 2, 1), "last step")):
        with pytest.raises(DomainError, match=words) as refused:
            services.proposal_transition(
                proposal=p,
                action="panel_refuse",
                by=secretariat,
                reason="Outside the licence",
                ground="out_of_scope",
                today=day,
            )
        assert refused.value.field == "today"
    p.refresh_from_db()
    assert p.status == State.WITH_PANEL


def test_a_working_group_is_not_dissolved_in_the_future_or_before_it_began(rep, party, secretariat):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    today = timezone.localdate()
    group = services.working_group_create(
        proposal=p,
        by=secretariat,
        name="WG",
        terms_of_reference="ToR",
        members=[MemberSpec(name=f"Member {i}", organisation=f"Org {i}") for i in range(5)],
        created_on=today - dt.timedelta(days=30),
    )
    for day, words in (
        (today + dt.timedelta(days=1), "after today"),
        (today - dt.timedelta(days=60), "before the day it was established"),
        (D(1, 1, 1), "between 1990 and 2200"),
    ):
        with pytest.raises(DomainError, match=words) as refused:
            services.working_group_dissolve(working_group=group, by=secretariat, reason="x", on=day)
        assert refused.value.field == "on"
    group.refresh_from_db()
    assert group.dissolved_on is None
