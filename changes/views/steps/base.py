"""A desk step, declared once: the form, the service it calls, its title and clause, the
message once done, and who may take it. `changes.views.steps.desk_step` serves them all."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404

from panel import access
from panel.models import User

from ...models import ChangeProposal, ChangeReport, Consultation, WorkingGroup, WorkingGroupMeeting

Cleaned = dict[str, Any]
Ids = Mapping[str, int]


@dataclass(frozen=True)
class StepContext:
    """What a step works on: the proposal, the record the URL names (if any), who acts, and the
    query string (a preselected choice)."""

    proposal: ChangeProposal
    target: Any
    by: User
    query: QueryDict


@dataclass(frozen=True)
class DeskStep:
    """One form -> service -> message -> redirect step of the Secretariat desk.

    `title` and `done` are `str.format` templates over `proposal` and `target`. `takes` names
    the state-machine actions this step takes, with the query string that preselects each, so
    the desk and the proposal page link here instead of the generic confirmation.
    """

    path: str
    form: type[forms.Form]
    act: Callable[[StepContext, Cleaned], object]
    title: str
    clause: str
    done: str
    target: Callable[[ChangeProposal, Ids], Any] | None = None
    form_kwargs: Callable[[StepContext], dict[str, Any]] | None = None
    default_field: str | None = None
    takes: tuple[tuple[str, str], ...] = ()
    who: access.Who = access.SECRETARIAT
    doing: str = "use the Secretariat desk"
    template: str = "changes/secretariat_form.html"

    def context(
        self, *, proposal: ChangeProposal, ids: Ids, by: User, query: QueryDict
    ) -> StepContext:
        target = self.target(proposal, ids) if self.target else None
        return StepContext(proposal=proposal, target=target, by=by, query=query)

    def bound_form(self, ctx: StepContext, data: Any, files: Any) -> forms.Form:
        kwargs = self.form_kwargs(ctx) if self.form_kwargs else {}
        return self.form(data, files, **kwargs)

    def words(self, template: str, ctx: StepContext) -> str:
        return template.format(proposal=ctx.proposal, target=ctx.target)


def _pairs(names: str) -> list[tuple[str, str]]:
    """'reasons=reason on' -> [("reasons", "reason"), ("on", "on")]: (service's name, field)."""
    return [(n.partition("=")[0], n.partition("=")[2] or n) for n in names.split()]


def calls(
    service: Callable[..., object],
    *,
    on: str | None = "proposal",
    needs: str = "",
    may: str = "",
    text: str = "",
) -> Callable[[StepContext, Cleaned], object]:
    """The `act` of a step that hands its form to one service: `service(by=<who acts>,
    <on>=<the proposal, or the record the URL names>, ...)`. The form's fields are named, space
    separated: `needs` it always gives, `may` it may leave out (None), `text` it may leave blank
    (""); `name=field` passes a field under the service's own name for it."""

    required, optional, blank = _pairs(needs), _pairs(may), _pairs(text)

    def act(s: StepContext, d: Cleaned) -> object:
        kwargs: dict[str, Any] = {"by": s.by}
        if on is not None:
            kwargs[on] = s.proposal if on == "proposal" else s.target
        kwargs.update({name: d[field] for name, field in required})
        kwargs.update({name: d.get(field) for name, field in optional})
        kwargs.update({name: d.get(field) or "" for name, field in blank})
        return service(**kwargs)

    return act


# -- the records a step's URL names beside the proposal -----------------------------------------


def consultation(proposal: ChangeProposal, ids: Ids) -> Consultation:
    return get_object_or_404(Consultation, pk=ids["pk"], proposal=proposal)


def report(proposal: ChangeProposal, ids: Ids) -> ChangeReport:
    return get_object_or_404(ChangeReport, proposal=proposal, version=ids["version"])


def live_group(proposal: ChangeProposal, ids: Ids) -> WorkingGroup:
    """A Working Group still sitting: a dissolved one takes no members or meetings."""
    group = get_object_or_404(WorkingGroup, pk=ids["pk"], proposal=proposal)
    if group.dissolved_on is not None:
        raise Http404(f"{group} was dissolved on {group.dissolved_on:%d %B %Y}.")
    return group


def meeting(proposal: ChangeProposal, ids: Ids) -> WorkingGroupMeeting:
    """A meeting of one of the proposal's Working Groups, dissolved or not (its minutes)."""
    group = get_object_or_404(WorkingGroup, pk=ids["pk"], proposal=proposal)
    return get_object_or_404(
        WorkingGroupMeeting.objects.select_related("working_group"),
        pk=ids["meeting_pk"],
        working_group=group,
    )
