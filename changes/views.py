"""Pages of the change process: the public Change Register and proposals (11.25-11.28,
Schedule 14), raising a proposal (10.2-10.6) and the Secretariat desk.

Thin: parse with a form, call a selector or a service, render. Refusals from the services
(DomainError) are shown next to the field they name, in the agreement's words.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from panel.errors import DomainError
from panel.models import User

from . import selectors, services, web_selectors
from .forms import (
    AddAlternativeForm,
    AdoptForm,
    AlternativeForm,
    AppealDecideForm,
    AppealLodgeForm,
    AuthorityDecisionForm,
    ChangeReportForm,
    ConsultationForm,
    DissolveForm,
    ImplementationDateForm,
    ImplementationPlanForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    ProposalForm,
    RegisterFilterForm,
    RemoveMemberForm,
    ResponseForm,
    SendToAuthorityForm,
    SummaryForm,
    TransitionForm,
    WithdrawForm,
    WorkingGroupForm,
    attach_domain_error,
    kinds_for,
)
from .models import (
    ChangeDocument,
    ChangeProposal,
    ChangeReport,
    Consultation,
    RegisterCopy,
    WorkingGroup,
    WorkingGroupMeeting,
)
from .states import TRANSITIONS_BY_ACTION, State

PAGE_SIZE = 25

View = Callable[..., HttpResponse]


def _me(request: HttpRequest) -> User:
    """The signed-in user (the decorators have checked)."""
    return cast(User, request.user)


def _posted(request: HttpRequest) -> Any:
    """The POST data when posting, even empty (a confirmation with no fields is still bound)."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


def proposal_url(proposal: ChangeProposal) -> str:
    return reverse("changes:detail", args=[web_selectors.reference_slug(proposal)])


# -- the public Change Register ----------------------------------------------------------------


def _filtered_register(request: HttpRequest) -> tuple[RegisterFilterForm, Any]:
    form = RegisterFilterForm(request.GET or None)
    query = form.query() if form.is_valid() else web_selectors.RegisterQuery()
    return form, web_selectors.register_search(query)


def register(request: HttpRequest) -> HttpResponse:
    """The Change Register (11.25-11.28): every proposal in the process, with its deadline."""
    form, proposals = _filtered_register(request)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(selectors.register_row(p), web_selectors.reference_slug(p)) for p in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "changes/register.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


def register_csv(request: HttpRequest) -> HttpResponse:
    _, proposals = _filtered_register(request)
    rows = [selectors.register_row(p) for p in proposals]
    response = HttpResponse(selectors.register_as_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="change-register.csv"'
    return response


def register_copy_list(request: HttpRequest) -> HttpResponse:
    """The monthly copies sent to the Authority (11.28)."""
    return render(
        request, "changes/register_copies.html", {"copies": web_selectors.register_copies()}
    )


def register_copy_download(request: HttpRequest, month: str, fmt: str) -> HttpResponse:
    copy = get_object_or_404(RegisterCopy, month=f"{month}-01")
    if fmt == "csv":
        response = HttpResponse(copy.csv, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(copy.html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="change-register-{month}.{fmt}"'
    return response


def proposal_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """A Change Proposal with its papers, timeline, Working Group, consultations and reports."""
    proposal = web_selectors.public_proposal(reference)
    if proposal is None:
        return render(
            request,
            "changes/not_found.html",
            {"reference": reference, "number": web_selectors.reference_number(reference)},
            status=404,
        )
    canonical = web_selectors.reference_slug(proposal)
    if reference != canonical:
        return redirect("changes:detail", canonical, permanent=True)
    user = request.user if request.user.is_authenticated else None
    page = web_selectors.proposal_page(proposal=proposal, user=user)
    actions = [
        (t, step_url(canonical, t.action))
        for t in (selectors.next_actions(proposal=proposal, user=user) if user else [])
    ]
    return render(
        request,
        "changes/detail.html",
        {
            "p": proposal,
            "page": page,
            "slug": canonical,
            "actions": actions,
            "is_secretariat": bool(user and user.is_secretariat),
        },
    )


def document_download(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    """A paper, served through a check so a confidential one never leaks by its URL (57.3)."""
    proposal = _proposal_or_404(reference)
    user = request.user if request.user.is_authenticated else None
    doc = web_selectors.document_for(proposal=proposal, user=user, pk=pk)
    if doc is None or not doc.file:
        raise Http404("No such document, or it is confidential.")
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file of this document is missing.")
    return FileResponse(handle, as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1])


# -- raising a proposal (10.2-10.6) ------------------------------------------------------------


def _may_raise(user: Any) -> bool:
    return user.is_authenticated and bool(kinds_for(user))


def raiser_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not _may_raise(request.user):
            raise PermissionDenied(
                "Change Proposals are raised by Parties, the Consumer Body, the transmission "
                "operator, designated persons and the Authority, or the Secretariat on their "
                "behalf (10.2)."
            )
        return view(request, *args, **kwargs)

    return wrapped


def _save_proposal(
    request: HttpRequest, form: ProposalForm, proposal: ChangeProposal | None
) -> ChangeProposal | None:
    """Save as typed, attach any document, and submit if asked; errors go on the form."""
    user = _me(request)
    try:
        proposal = services.proposal_save_draft(by=user, proposal=proposal, **form.draft_fields())
    except DomainError as exc:
        attach_domain_error(form, exc)
        return proposal
    d = form.cleaned_data
    if d.get("attachment"):
        try:
            services.proposal_attach_document(
                proposal=proposal,
                by=user,
                title=d["attachment_title"],
                file=d["attachment"],
                confidential=d["attachment_confidential"],
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
            return proposal
    if "submit" in request.POST:
        try:
            services.proposal_submit(proposal=proposal, by=user)
        except DomainError as exc:
            missing = [m for m in web_selectors.missing_items(proposal) if m[0] in form.fields]
            for name, words in missing:
                form.add_error(name, f"A Change Proposal must contain {words}.")
            if exc.field not in {name for name, _ in missing}:
                attach_domain_error(form, exc)
    return proposal


def _proposal_form_page(request: HttpRequest, proposal: ChangeProposal | None) -> HttpResponse:
    if request.method == "POST":
        form = ProposalForm(request.POST, request.FILES, user=_me(request))
        if form.is_valid():
            proposal = _save_proposal(request, form, proposal)
            if not form.errors and proposal is not None:
                if proposal.status != State.DRAFT:
                    messages.success(
                        request,
                        f"{proposal.reference} has been submitted to the Secretariat (10.3).",
                    )
                    return redirect(proposal_url(proposal))
                messages.success(request, "Your draft has been saved.")
                return redirect("changes:draft_edit", proposal.pk)
    else:
        initial = ProposalForm.initial_for(proposal) if proposal else {}
        if proposal is None:
            initial["proposer_kind"] = kinds_for(_me(request))[0].value
            parties = _me(request).represented_party_ids()
            if len(parties) == 1:
                initial["proposer_party"] = next(iter(parties))
        form = ProposalForm(initial=initial, user=_me(request))
    documents = list(proposal.documents.all()) if proposal and proposal.pk else []
    status = 400 if form.errors else 200
    return render(
        request,
        "changes/raise.html",
        {
            "form": form,
            "proposal": proposal if proposal and proposal.pk else None,
            "documents": documents,
        },
        status=status,
    )


@raiser_required
def raise_proposal(request: HttpRequest) -> HttpResponse:
    return _proposal_form_page(request, None)


@raiser_required
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = web_selectors.draft_for(user=_me(request), pk=pk)
    if proposal is None:
        raise Http404("No draft of yours with that number.")
    if proposal.status != State.DRAFT:
        return redirect(proposal_url(proposal))
    return _proposal_form_page(request, proposal)


@raiser_required
def draft_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "changes/drafts.html", {"drafts": selectors.drafts_for(user=_me(request))}
    )


# -- the Secretariat desk ----------------------------------------------------------------------


def secretariat_required(view: View) -> View:
    """Checked on the server for every request, not only by hiding the link."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_secretariat:
            raise PermissionDenied("Only the Secretariat may use the Secretariat desk.")
        return view(request, *args, **kwargs)

    return wrapped


def _proposal_or_404(reference: str) -> ChangeProposal:
    proposal = web_selectors.public_proposal(reference)
    if proposal is None:
        raise Http404(f"No Change Proposal {reference}.")
    return proposal


@secretariat_required
def desk(request: HttpRequest) -> HttpResponse:
    """Per proposal: its state, its deadline and the steps the Secretariat may take now."""
    rows = selectors.secretariat_desk(user=_me(request))
    return render(
        request,
        "changes/desk.html",
        {
            "rows": [
                (p, slug, [(t, step_url(slug, t.action)) for t in actions])
                for p, actions in rows
                for slug in [web_selectors.reference_slug(p)]
            ],
            "today": timezone.localdate(),
        },
    )


@secretariat_required
def desk_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """Confirm a step of the state machine and take it through `proposal_transition`."""
    proposal = _proposal_or_404(reference)
    transition = TRANSITIONS_BY_ACTION.get(action)
    if transition is None or action in selectors.BALLOT_ACTIONS:
        # Ballots are opened and declared by the voting service (13.4), never by hand.
        raise Http404(f"'{action}' is not a step the Secretariat takes on the desk.")
    if action in STEP_FORMS:
        # This step records data its own service needs: take it on its own form.
        return redirect(step_url(web_selectors.reference_slug(proposal), action))
    form = TransitionForm(_posted(request), _files(request), action=action)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _take_step(request, form, proposal, action)
        except DomainError as exc:
            attach_domain_error(form, exc)
            status = exc.http_status
        else:
            proposal.refresh_from_db()
            messages.success(
                request,
                f"{proposal.reference}: {transition.label} — done. It is now "
                f"'{proposal.get_status_display()}'.",
            )
            return redirect("changes:desk")
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "changes/desk_action.html",
        {
            "p": proposal,
            "slug": web_selectors.reference_slug(proposal),
            "t": transition,
            "form": form,
        },
        status=status,
    )


def _take_step(
    request: HttpRequest, form: TransitionForm, proposal: ChangeProposal, action: str
) -> None:
    d = form.cleaned_data
    documents = []
    if d.get("document"):
        documents.append(
            services.proposal_attach_document(
                proposal=proposal,
                by=_me(request),
                title=d.get("document_title") or d["document"].name,
                file=d["document"],
                confidential=d.get("document_confidential", False),
            )
        )
    if action == "submit":
        services.proposal_submit(proposal=proposal, by=_me(request))
        return
    services.proposal_transition(
        proposal=proposal,
        action=action,
        by=_me(request),
        reason=d.get("reason") or "",
        documents=documents,
        **form.step_data(),
    )


def _secretariat_form(
    request: HttpRequest,
    *,
    form: Any,
    proposal: ChangeProposal,
    title: str,
    clause: str,
    act: Callable[[Any], Any],
    done: str,
    default_field: str | None = None,
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                act(form.cleaned_data)
            except DomainError as exc:
                attach_domain_error(form, exc, default=default_field)
                status = exc.http_status
            else:
                messages.success(request, done)
                return redirect(proposal_url(proposal))
        else:
            status = 400
    return render(
        request,
        "changes/secretariat_form.html",
        {
            "form": form,
            "p": proposal,
            "slug": web_selectors.reference_slug(proposal),
            "title": title,
            "clause": clause,
        },
        status=status,
    )


@secretariat_required
def working_group_new(request: HttpRequest, reference: str) -> HttpResponse:
    """Record the Panel's establishment of a Working Group (11.14-11.16)."""
    proposal = _proposal_or_404(reference)

    def act(d: dict[str, Any]) -> None:
        members = [services.MemberSpec(name=n, organisation=o) for n, o in d["members"]]
        if d.get("nominee"):
            name, organisation = d["nominee"]
            members.append(
                services.MemberSpec(name=name, organisation=organisation, is_proposer_nominee=True)
            )
        services.working_group_create(
            by=_me(request),
            proposal=proposal,
            name=d["name"],
            terms_of_reference=d["terms_of_reference"],
            chair_name=d["chair_name"],
            members=members,
        )

    form = WorkingGroupForm(
        _posted(request), initial={"name": f"{proposal.reference} Working Group"}
    )
    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title="Set up a Working Group",
        clause="11.14-11.16",
        act=act,
        done=f"The Working Group for {proposal.reference} has been set up.",
    )


@secretariat_required
def consultation_new(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _proposal_or_404(reference)
    form = ConsultationForm(_posted(request))

    def act(d: dict[str, Any]) -> None:
        services.consultation_open(
            proposal=proposal,
            by=_me(request),
            title=d["title"],
            questions=form.question_list(),
            opens_on=d.get("opens_on"),
            closes_on=d.get("closes_on"),
            final_draft=d["final_draft"],
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title="Open a consultation",
        clause="11.14.1, 11.17",
        act=act,
        done=f"The consultation on {proposal.reference} is open.",
    )


@secretariat_required
@require_POST
def consultation_close(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(reference)
    consultation = get_object_or_404(Consultation, pk=pk, proposal=proposal)
    try:
        services.consultation_close(consultation=consultation, by=_me(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"'{consultation.title}' is closed.")
    return redirect(proposal_url(proposal))


@secretariat_required
def response_new(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Record a response received; a late one only with a reason."""
    proposal = _proposal_or_404(reference)
    consultation = get_object_or_404(Consultation, pk=pk, proposal=proposal)
    form = ResponseForm(_posted(request), consultation=consultation)

    def act(d: dict[str, Any]) -> None:
        services.consultation_respond(
            consultation=consultation,
            by=_me(request),
            respondent_name=d["respondent_name"],
            party=d.get("party"),
            answers=form.answers(),
            confidential=d["confidential"],
            late_reason=d.get("late_reason") or "",
            submitted_on=d.get("submitted_on"),
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title=f"Record a response to '{consultation.title}'",
        clause="11.14.1, 11.17",
        act=act,
        done="The response has been recorded.",
    )


@secretariat_required
def report_new(request: HttpRequest, reference: str) -> HttpResponse:
    """A new version of the Change Report (11.19-11.20, 11.23)."""
    proposal = _proposal_or_404(reference)
    latest = proposal.reports.order_by("-version").first()
    initial: dict[str, Any] = {
        "eligible_categories": proposal.impacted_categories,
        "variation": proposal.description,
        "implementation_date": proposal.proposed_implementation_date,
        "ghg_statement": proposal.ghg_statement,
    }
    if latest is not None:
        initial.update({name: getattr(latest, name) for name in ChangeReportForm.base_fields})
    form = ChangeReportForm(_posted(request), initial=initial)

    def act(d: dict[str, Any]) -> None:
        services.change_report_create(proposal=proposal, by=_me(request), **d)

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title="New version of the Change Report",
        clause="11.19-11.20",
        act=act,
        done=f"A new version of the Change Report on {proposal.reference} has been saved.",
    )


@secretariat_required
def report_send(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """Provide the report to the Authority: the vote waits 7 days from here (11.22.2)."""
    proposal = _proposal_or_404(reference)
    report = get_object_or_404(ChangeReport, proposal=proposal, version=version)
    form = SendToAuthorityForm(_posted(request))

    def act(d: dict[str, Any]) -> None:
        services.change_report_send_to_authority(
            report=report, by=_me(request), sent_on=d.get("sent_on")
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title=f"Send version {report.version} of the Change Report to the Authority",
        clause="11.22",
        act=act,
        done=f"Version {report.version} of the Change Report was sent to the Authority.",
    )


# -- desk forms for the steps and records that need data (named services) ----------------------

# Steps of the state machine that have their own form (and service) instead of the generic
# confirmation: the desk and the proposal page link there; (url name, query string).
STEP_FORMS: dict[str, tuple[str, str]] = {
    "implementation_plan_set": ("changes:implementation_plan", ""),
    "implementation_date_directed": ("changes:implementation_date", ""),
    "authority_accept": ("changes:authority_decision", "?decision=accept"),
    "authority_reject": ("changes:authority_decision", "?decision=reject"),
    "authority_send_back": ("changes:authority_decision", "?decision=send_back"),
    "appeal_lodged": ("changes:appeal_new", ""),
    "appeal_screened_out": ("changes:appeal_decide", "?outcome=screened_out"),
    "appeal_dismissed": ("changes:appeal_decide", "?outcome=dismissed"),
    "appeal_quashed": ("changes:appeal_decide", "?outcome=quashed"),
    "appeal_sent_back": ("changes:appeal_decide", "?outcome=sent_back"),
    "withdraw": ("changes:withdraw", ""),
    "adopt": ("changes:adopt", ""),
}


def step_url(slug: str, action: str) -> str:
    """Where the Secretariat takes a step: its own form, else the generic confirmation."""
    if action in STEP_FORMS:
        name, query = STEP_FORMS[action]
        return reverse(name, args=[slug]) + query
    return reverse("changes:desk_action", args=[slug, action])


def _working_group(proposal: ChangeProposal, pk: int) -> WorkingGroup:
    return get_object_or_404(WorkingGroup, pk=pk, proposal=proposal)


def _live_group(proposal: ChangeProposal, pk: int) -> WorkingGroup:
    group = _working_group(proposal, pk)
    if group.dissolved_on is not None:
        raise Http404(f"{group} was dissolved on {group.dissolved_on:%d %B %Y}.")
    return group


@secretariat_required
def working_group_meeting_new(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """A Working Group meeting: its date, agenda and papers (11.16, 57.3)."""
    proposal = _proposal_or_404(reference)
    group = _live_group(proposal, pk)
    form = MeetingForm(_posted(request), _files(request))

    def act(d: dict[str, Any]) -> None:
        with transaction.atomic():
            papers = [
                services.proposal_attach_document(
                    proposal=proposal,
                    by=_me(request),
                    title=f.name,
                    file=f,
                    confidential=d["papers_confidential"],
                )
                for f in d["papers"]
            ]
            services.working_group_add_meeting(
                working_group=group,
                by=_me(request),
                held_on=d["held_on"],
                agenda=d["agenda"],
                minutes=d.get("minutes") or "",
                papers=papers,
            )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title=f"Add a meeting of {group}",
        clause="11.16",
        act=act,
        done=f"The meeting of {group} has been recorded.",
    )


@secretariat_required
def working_group_minutes(
    request: HttpRequest, reference: str, pk: int, meeting_pk: int
) -> HttpResponse:
    proposal = _proposal_or_404(reference)
    group = _working_group(proposal, pk)
    meeting = get_object_or_404(WorkingGroupMeeting, pk=meeting_pk, working_group=group)
    form = MinutesForm(_posted(request), initial={"minutes": meeting.minutes})

    def act(d: dict[str, Any]) -> None:
        services.working_group_record_minutes(
            meeting=meeting, by=_me(request), minutes=d["minutes"]
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title=f"Minutes of the meeting of {group} on {meeting.held_on:%d %B %Y}",
        clause="11.16",
        act=act,
        done="The minutes have been recorded.",
    )


def _member_spec(d: dict[str, Any], *, nominee: bool = False) -> services.MemberSpec:
    return services.MemberSpec(
        name=d["name"],
        organisation=d["organisation"],
        party=d.get("party"),
        is_proposer_nominee=nominee,
    )


@secretariat_required
def working_group_member_new(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(reference)
    group = _live_group(proposal, pk)
    form = MemberForm(_posted(request))

    def act(d: dict[str, Any]) -> None:
        services.working_group_add_member(
            working_group=group, by=_me(request), member=_member_spec(d)
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title=f"Add a member to {group}",
        clause="11.15",
        act=act,
        done=f"The member has joined {group}.",
        default_field="name",
    )


@secretariat_required
def working_group_member_remove(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """A member leaves; the group keeps at least five besides the nominee (11.15)."""
    proposal = _proposal_or_404(reference)
    group = _live_group(proposal, pk)
    form = RemoveMemberForm(_posted(request), working_group=group)

    def act(d: dict[str, Any]) -> None:
        services.working_group_remove_member(
            member=d["member"], by=_me(request), on=d.get("left_on")
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title=f"Remove a member of {group}",
        clause="11.15",
        act=act,
        done=f"The member has left {group}.",
        default_field="member",
    )


@secretariat_required
def working_group_nominee(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Replace the Proposer's nominee (11.15.2, 11.31.2)."""
    proposal = _proposal_or_404(reference)
    group = _live_group(proposal, pk)
    form = MemberForm(_posted(request))

    def act(d: dict[str, Any]) -> None:
        services.working_group_replace_nominee(
            working_group=group, by=_me(request), member=_member_spec(d, nominee=True)
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title=f"Replace the Proposer's nominee on {group}",
        clause="11.15.2, 11.31.2",
        act=act,
        done=f"The Proposer's nominee on {group} has been replaced.",
        default_field="name",
    )


@secretariat_required
def working_group_dissolve(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(reference)
    group = _live_group(proposal, pk)
    form = DissolveForm(_posted(request))

    def act(d: dict[str, Any]) -> None:
        services.working_group_dissolve(
            working_group=group, by=_me(request), reason=d["reason"], on=d.get("on")
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title=f"Dissolve {group}",
        clause="11.32",
        act=act,
        done=f"{group} has been dissolved.",
    )


@secretariat_required
def alternative_new(request: HttpRequest, reference: str) -> HttpResponse:
    """Record an alternative put forward by a member (11.18) or a respondent (11.20.6(C))."""
    proposal = _proposal_or_404(reference)
    form = AlternativeForm(_posted(request), proposal=proposal)

    def act(d: dict[str, Any]) -> None:
        services.alternative_put_forward(
            proposal=proposal,
            by=_me(request),
            description=d["description"],
            legal_text=d.get("legal_text") or "",
            working_group_member=d.get("working_group_member"),
            consultation_response=d.get("consultation_response"),
            by_proposer=d["by_proposer"],
            why_original_is_better=d.get("why_original_is_better") or "",
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title="Put forward an alternative variation",
        clause="11.18, 11.20.6(C)",
        act=act,
        done=f"The alternative to {proposal.reference} has been recorded.",
    )


@secretariat_required
def report_add_alternative(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """The Panel adds an alternative to the Change Report: at most two, lettered A, B (11.23.3)."""
    proposal = _proposal_or_404(reference)
    report = get_object_or_404(ChangeReport, proposal=proposal, version=version)
    form = AddAlternativeForm(_posted(request), report=report)

    def act(d: dict[str, Any]) -> None:
        services.change_report_add_alternative(
            report=report, alternative=d["alternative"], by=_me(request)
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title=f"Add an alternative to version {report.version} of the Change Report",
        clause="11.23",
        act=act,
        done=f"The alternative was added to version {report.version} of the Change Report.",
        default_field="alternative",
    )


@secretariat_required
def consultation_summarise(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(reference)
    consultation = get_object_or_404(Consultation, pk=pk, proposal=proposal)
    form = SummaryForm(_posted(request), initial={"summary": consultation.response_summary})

    def act(d: dict[str, Any]) -> None:
        services.consultation_summarise(
            consultation=consultation, by=_me(request), summary=d["summary"]
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title=f"Summarise the responses to '{consultation.title}'",
        clause="11.20.6(B)",
        act=act,
        done="The summary of responses has been saved.",
    )


@secretariat_required
def implementation_plan(request: HttpRequest, reference: str) -> HttpResponse:
    """The Panel's actions and a timetable for each (14.6)."""
    proposal = _proposal_or_404(reference)
    latest = proposal.reports.order_by("-version").first()
    initial = {
        "implementation_date": latest.implementation_date
        if latest
        else proposal.proposed_implementation_date
    }
    form = ImplementationPlanForm(_posted(request), initial=initial)

    def act(d: dict[str, Any]) -> None:
        services.implementation_plan_set(
            proposal=proposal,
            by=_me(request),
            implementation_date=d["implementation_date"],
            actions=d["actions"],
            set_on=d.get("set_on"),
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title="Set the implementation plan",
        clause="14.6",
        act=act,
        done=f"The implementation plan of {proposal.reference} has been set.",
    )


@secretariat_required
def implementation_date(request: HttpRequest, reference: str) -> HttpResponse:
    """A new implementation date by Authority direction (14.9-14.11)."""
    proposal = _proposal_or_404(reference)
    form = ImplementationDateForm(_posted(request))

    def act(d: dict[str, Any]) -> None:
        services.implementation_date_direct(
            proposal=proposal,
            by=_me(request),
            new_date=d["new_date"],
            basis=d["basis"],
            reasons=d.get("reason") or "",
            directed_on=d.get("directed_on"),
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title="Record the Authority's direction of a new implementation date",
        clause="14.9-14.11",
        act=act,
        done=f"The new implementation date of {proposal.reference} has been recorded.",
    )


def _decision_document(
    request: HttpRequest, proposal: ChangeProposal, d: dict[str, Any]
) -> ChangeDocument | None:
    if not d.get("document"):
        return None
    return services.proposal_attach_document(
        proposal=proposal,
        by=_me(request),
        title=d.get("document_title") or d["document"].name,
        file=d["document"],
        confidential=d.get("document_confidential", False),
    )


@secretariat_required
def authority_decision(request: HttpRequest, reference: str) -> HttpResponse:
    """The Authority's decision on a Part 1 recommendation (13.9-13.12, 13.11A)."""
    proposal = _proposal_or_404(reference)
    form = AuthorityDecisionForm(
        _posted(request), _files(request), initial={"decision": request.GET.get("decision", "")}
    )

    def act(d: dict[str, Any]) -> None:
        with transaction.atomic():
            services.proposal_authority_decide(
                proposal=proposal,
                by=_me(request),
                decision=d["decision"],
                reasons=d.get("reason") or "",
                decided_on=d.get("decided_on"),
                document=_decision_document(request, proposal, d),
            )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title="Record the Authority's decision",
        clause="13.9-13.12",
        act=act,
        done=f"The Authority's decision on {proposal.reference} has been recorded.",
        default_field="decision",
    )


@secretariat_required
def appeal_new(request: HttpRequest, reference: str) -> HttpResponse:
    """An appeal to the Authority against a Part 2 decision (13.17-13.19)."""
    proposal = _proposal_or_404(reference)
    form = AppealLodgeForm(_posted(request))

    def act(d: dict[str, Any]) -> None:
        services.appeal_lodge(
            proposal=proposal,
            by=_me(request),
            appellant_name=d["appellant_name"],
            appellant_party=d.get("appellant_party"),
            reasons=d["reason"],
            grounds=form.grounds_list(),
            in_writing=d["in_writing"],
            copied_to_secretariat_and_panel=d["copied_to_secretariat_and_panel"],
            lodged_on=d.get("lodged_on"),
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title="Record an appeal to the Authority",
        clause="13.17-13.19",
        act=act,
        done=f"The appeal on {proposal.reference} has been recorded.",
        default_field="lodged_on",
    )


@secretariat_required
def appeal_decide(request: HttpRequest, reference: str) -> HttpResponse:
    """The Authority's decision on the appeal (13.20-13.22)."""
    proposal = _proposal_or_404(reference)
    form = AppealDecideForm(
        _posted(request),
        proposal=proposal,
        initial={"outcome": request.GET.get("outcome", "")},
    )

    def act(d: dict[str, Any]) -> None:
        services.appeal_decide(
            appeal=d["appeal"],
            by=_me(request),
            outcome=d["outcome"],
            reasons=d.get("reason") or "",
            decided_on=d.get("decided_on"),
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title="Record the Authority's decision on the appeal",
        clause="13.20-13.22",
        act=act,
        done=f"The Authority's decision on the appeal on {proposal.reference} has been recorded.",
        default_field="outcome",
    )


@secretariat_required
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    """The Proposer withdraws its support, recorded by the Secretariat (11.29-11.30)."""
    proposal = _proposal_or_404(reference)
    form = WithdrawForm(_posted(request))

    def act(d: dict[str, Any]) -> None:
        services.proposal_withdraw(
            proposal=proposal,
            by=_me(request),
            reason=d.get("reason") or "",
            authority_consent=d.get("authority_consent") or "",
            on=d.get("on"),
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title="Record the Proposer's withdrawal",
        clause="11.29-11.30",
        act=act,
        done=f"{proposal.reference} has been withdrawn; Parties may adopt it (11.31).",
    )


@secretariat_required
def adopt(request: HttpRequest, reference: str) -> HttpResponse:
    """A Party adopts a withdrawn proposal and becomes the Proposer (11.31)."""
    proposal = _proposal_or_404(reference)
    form = AdoptForm(_posted(request))

    def act(d: dict[str, Any]) -> None:
        services.proposal_adopt(
            proposal=proposal, by=_me(request), party=d["party"], on=d.get("on")
        )

    return _secretariat_form(
        request,
        form=form,
        proposal=proposal,
        title="Record a Party's adoption of the withdrawn proposal",
        clause="11.31",
        act=act,
        done=f"{proposal.reference} has been adopted.",
        default_field="party",
    )
