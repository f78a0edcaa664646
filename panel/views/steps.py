"""One Secretariat step: a form, one service, a message, a redirect.

A `Step` declares what differs between the Panel's forms; `run_step` is the one view serving them
all: load the target, parse the form, call the service (it owns its transaction), show a refusal
next to the field it names, and on success say what happened and go back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import access
from ..errors import DomainError
from ..models import User

T = TypeVar("T")
View = Callable[..., HttpResponse]
Said = tuple[int, str]  # a message level and its text

# Panel business is read by the Panel, the Secretariat and the Authority (57.3).
PANEL_BUSINESS = access.PANEL_BUSINESS


def ok(text: str) -> list[Said]:
    return [(messages.SUCCESS, text)]


def warn(text: str) -> list[Said]:
    return [(messages.WARNING, text)]


def _nothing(target: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Step(Generic[T]):
    """What one form page is: the target it acts on, its form, the service call and the wording.

    `load(user, **url_kwargs)` finds the target `t` (or raises Http404/PermissionDenied);
    `call(user, t, form)` calls the service with the valid form and returns its result `r`.
    `title` is a `str.format` template over `t`; `done` one over `t` and `r` (a success
    message), or a function of both giving the messages. `then(t, r)` is where to go next
    (default: `back`). `check(t)` is the service's own refusal before any input (a quorum).
    """

    form: type[forms.Form]
    load: Callable[..., T]
    call: Callable[[User, T, Any], Any]
    title: str
    clause: str | Callable[[T], str]
    done: str | Callable[[T, Any], Sequence[Said]]
    back: Callable[[T], str]
    submit: str = "Save"
    template: str = "panel/action_form.html"
    who: access.Who | None = access.SECRETARIAT  # None: any signed-in user; `load` decides
    doing: str = "use the Panel Secretary's forms (7.7)"
    form_kwargs: Callable[[T], dict[str, Any]] = _nothing
    then: Callable[[T, Any], str] | None = None
    check: Callable[[T], object] | None = None
    context: Callable[[T], dict[str, Any]] = _nothing

    def view(self) -> View:
        """This step as a URL's view, behind the access check."""

        def step_view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            return run_step(request, self, **kwargs)

        if self.who is None:
            return login_required(step_view)
        return access.role_required(self.who, doing=self.doing)(step_view)


def steps_on(load: Callable[..., T], back: Callable[[T], str]) -> Callable[..., Step[T]]:
    """A maker of the Steps that share their target and the page they go back to."""

    def step(**declared: Any) -> Step[T]:
        return Step(load=load, back=back, **declared)

    return step


def refuse(form: forms.Form, exc: DomainError) -> None:
    """Show a DomainError next to the field it names (or above the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def run_step(request: HttpRequest, step: Step[T], **kwargs: Any) -> HttpResponse:
    user = cast(User, request.user)
    target = step.load(user, **kwargs)
    form = step.form(request.POST or None, **step.form_kwargs(target))
    status = 200
    if request.method == "POST":
        status = _checked(request, step, target)
        if status == 200 and form.is_valid():
            try:
                result = step.call(user, target, form)
            except DomainError as exc:
                refuse(form, exc)
                status = 409 if exc.http_status == 409 else 200  # a state conflict, not a typo
            else:
                return _done(request, step, target, result)
    return render(request, step.template, _context(step, target, form), status=status)


def _checked(request: HttpRequest, step: Step[T], target: T) -> int:
    """200, or the status of the refusal `step.check` gives before any input is read.

    That refusal concerns the target's state, not the form: it is said above the page.
    """
    if step.check is not None:
        try:
            step.check(target)
        except DomainError as exc:
            messages.error(request, exc.message)
            return exc.http_status
    return 200


def _done(request: HttpRequest, step: Step[T], target: T, result: Any) -> HttpResponse:
    for level, text in _said(step, target, result):
        messages.add_message(request, level, text)
    return redirect(step.then(target, result) if step.then else step.back(target))


def _said(step: Step[T], target: T, result: Any) -> Sequence[Said]:
    if isinstance(step.done, str):
        return ok(step.done.format(t=target, r=result))
    return step.done(target, result)


def _context(step: Step[T], target: T, form: forms.Form) -> dict[str, Any]:
    clause = step.clause(target) if callable(step.clause) else step.clause
    return {
        "form": form,
        "heading": step.title.format(t=target),
        "intro": clause,
        "back": step.back(target),
        "submit": step.submit,
        **step.context(target),
    }


def cleaned(service: Callable[..., Any], target: str = "") -> Callable[[User, Any, Any], Any]:
    """The call of `service` with the form's fields as they are, and the target as `target=`."""

    def call(by: User, on: Any, form: Any) -> Any:
        where = {target: on} if target else {}
        return service(by=by, **where, **form.cleaned_data)

    return call


def no_target(user: User) -> None:
    """The target of a step that creates something new."""
    return None
