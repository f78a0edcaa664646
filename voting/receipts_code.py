"""The receipt code a person can read out and check (12.4.6): the first ten characters of the
vote log entry's hash, in two groups of five ("3f9c2-a81b0"). The full hash stays the receipt;
the short code finds it on /votes/verify/, which asks for the full hash if two entries share it.

Pure: no Django, so the verification tool and the mail templates can use it alike.
"""

from __future__ import annotations

HEX = frozenset("0123456789abcdef")
SHORT_LENGTH = 10  # 16^10 ≈ 10^12 codes: a clash within one ballot's log is most unlikely
FULL_LENGTH = 64  # a SHA-256 hash in hex
GROUP = 5


def normalise_code(text: str) -> str:
    """The hex digits of what a person typed or pasted: any case, spaces and dashes ignored."""
    return "".join(ch for ch in (text or "").lower() if ch in HEX)


def is_receipt_text(text: str) -> bool:
    """Only hex digits, spaces and dashes (so "DCP 417" is not taken for a code)."""
    return all(ch in HEX or ch in " -\t" for ch in (text or "").lower())


def short_receipt(entry_hash: str) -> str:
    """'3f9c2a81b0…' -> '3f9c2-a81b0'; an empty hash gives an empty code."""
    digits = normalise_code(entry_hash)[:SHORT_LENGTH]
    return "-".join(digits[i : i + GROUP] for i in range(0, len(digits), GROUP))
