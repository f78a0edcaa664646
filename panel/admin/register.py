"""The register tables in the admin: categories, corporate groups, affiliations, CVA sites,
representatives and closure days. Every save and removal goes through the register service."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from .. import services
from ..errors import DomainError
from ..models import (
    Affiliation,
    ClosureDay,
    CorporateGroup,
    CvaSite,
    EnrolmentCode,
    PartyCategoryMembership,
    PartyRepresentative,
    User,
)
from .base import RegisterAdmin, actor
from .parties import GroupAffiliationInline


@admin.register(PartyCategoryMembership)
class MembershipAdmin(RegisterAdmin):
    list_display = ("party", "category", "idno_otso", "valid_from", "valid_to")
    list_filter = ("category", "idno_otso", "valid_from", "valid_to")
    search_fields = ("party__name", "party__short_code", "party__company_number")
    autocomplete_fields = ("party",)
    list_select_related = ("party",)


class HasPartiesTodayFilter(admin.SimpleListFilter):
    title = "member Parties today"
    parameter_name = "has_parties_today"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Has member Parties today"), ("no", "No member Parties today")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[CorporateGroup]
    ) -> QuerySet[CorporateGroup]:
        today = Affiliation.objects.on(timezone.localdate()).values("corporate_group_id")
        if self.value() == "yes":
            return queryset.filter(pk__in=today)
        if self.value() == "no":
            return queryset.exclude(pk__in=today)
        return queryset


@admin.register(CorporateGroup)
class CorporateGroupAdmin(RegisterAdmin):
    list_display = ("name",)
    list_filter = (HasPartiesTodayFilter,)
    search_fields = ("name", "affiliations__party__name", "affiliations__party__short_code")
    inlines = (GroupAffiliationInline,)


@admin.register(Affiliation)
class AffiliationAdmin(RegisterAdmin):
    list_display = ("party", "corporate_group", "valid_from", "valid_to")
    list_filter = ("corporate_group", "valid_from", "valid_to")
    search_fields = ("party__name", "party__short_code", "corporate_group__name")
    autocomplete_fields = ("party", "corporate_group")
    list_select_related = ("party", "corporate_group")


@admin.register(CvaSite)
class CvaSiteAdmin(RegisterAdmin):
    list_display = (
        "party",
        "site_name",
        "maximum_export_capacity_kw",
        "maximum_import_capacity_kw",
        "valid_from",
        "valid_to",
    )
    list_filter = ("valid_from", "valid_to")
    search_fields = ("site_name", "party__name", "party__short_code")
    autocomplete_fields = ("party",)
    list_select_related = ("party",)


@admin.action(description="Confirm the selected authorised voter nominations (12.4)")
def confirm_authorised_voters(
    modeladmin: admin.ModelAdmin, request: HttpRequest, links: QuerySet[PartyRepresentative]
) -> None:
    done, refused = 0, []
    for link in links.select_related("user", "party"):
        try:
            services.authorised_voter_confirm(by=actor(request), link=link)
            done += 1
        except DomainError as exc:
            refused.append(exc.message)
    if done:
        modeladmin.message_user(request, f"Confirmed {done} authorised voter(s).", messages.SUCCESS)
    for message in refused:
        modeladmin.message_user(request, message, messages.ERROR)


def issue_codes_to(
    modeladmin: admin.ModelAdmin, request: HttpRequest, users: Iterable[User]
) -> TemplateResponse | None:
    """Issue a one-time enrolment code to each user; the codes are shown once, on this page."""
    issued, refused = [], []
    for user in users:
        try:
            code = services.enrolment_code_issue(user=user, by=actor(request))
        except DomainError as exc:
            refused.append(exc.message)
        else:
            issued.append((user, code, EnrolmentCode.objects.filter(user=user).first()))
    for message in refused:
        modeladmin.message_user(request, message, messages.ERROR)
    if not issued:
        return None
    response = TemplateResponse(
        request, "panel/voters/enrolment_codes_admin.html", {"issued": issued}
    )
    add_never_cache_headers(response)
    return response


@admin.action(description="Issue one-time enrolment codes to the selected representatives")
def issue_enrolment_codes(
    modeladmin: admin.ModelAdmin, request: HttpRequest, links: QuerySet[PartyRepresentative]
) -> TemplateResponse | None:
    users = {link.user_id: link.user for link in links.select_related("user")}
    return issue_codes_to(modeladmin, request, users.values())


@admin.register(PartyRepresentative)
class PartyRepresentativeAdmin(RegisterAdmin):
    list_display = ("user", "party", "authorised_voter", "confirmed_at", "confirmed_by")
    list_filter = ("authorised_voter", ("confirmed_at", admin.EmptyFieldListFilter))
    search_fields = (
        "user__username",
        "user__last_name",
        "user__email",
        "party__name",
        "party__short_code",
    )
    list_select_related = ("user", "party", "confirmed_by")
    autocomplete_fields = ("user", "party")
    # The clock and the services date these; the Party nominates on /my/parties/<code>/voters/.
    readonly_fields = ("confirmed_at", "confirmed_by", "nominated_at", "nominated_by")
    actions = (confirm_authorised_voters, issue_enrolment_codes)
    deletable = True


@admin.register(ClosureDay)
class ClosureDayAdmin(RegisterAdmin):
    list_display = ("day", "reason")
    list_filter = ("day",)
    search_fields = ("reason",)
    date_hierarchy = "day"
    deletable = True
