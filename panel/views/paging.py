"""What the paged lists share (the Register of Parties, the Change Register)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def one_page(
    request: HttpRequest, rows: QuerySet[Any] | Sequence[Any], size: int
) -> tuple[Page[Any], str]:
    """The page of `rows` the request asks for, and its query string without the page number
    (the list's filters, for the links to the other pages)."""
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
