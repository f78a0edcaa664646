"""The notice bodies (13.8.2-13.8.5): the Consumer Body, the transmission operator, designated
bodies and the Authority, with the addresses their notices go to, whether or not anyone there has
an account. A register table: every save is the register service's, audited; rows are end-dated,
never deleted."""

from __future__ import annotations

from django.contrib import admin

from ..models import NoticeBody
from .base import RegisterAdmin


@admin.register(NoticeBody)
class NoticeBodyAdmin(RegisterAdmin):
    list_display = ("name", "kind", "notice_email", "designated_on", "ended_on")
    list_filter = ("kind", ("ended_on", admin.EmptyFieldListFilter))
    search_fields = ("name", "notice_email", "notice_address")
