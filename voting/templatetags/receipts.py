"""`{% load receipts %}{{ entry_hash|short_receipt }}`: the receipt code a person can check."""

from __future__ import annotations

from django import template

from ..receipts_code import short_receipt as short_code

register = template.Library()


@register.filter(name="short_receipt")
def short_receipt(entry_hash: object) -> str:
    """The short, grouped receipt code of a vote log entry's hash ("3f9c2-a81b0")."""
    return short_code(str(entry_hash or ""))
