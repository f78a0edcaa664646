from __future__ import annotations

from axe_playwright_python.base import AXE_SCRIPT
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import shot


def totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def sign_in(page, username: str, password: str, device: TOTPDevice | None = None) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    if device is not None:
        page.wait_for_url("**/accounts/two-factor/**")
        page.fill("#id_token", totp_code(device))
        page.click("main button[type=submit]")


WIDE, NARROW = 1280, 390


def axe_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's WCAG 2.1 A/AA violations on the page, one line each."""
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def check_both_widths(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Screenshot `name`-<width> at both widths; no axe violation and nothing wider than the
    phone's screen."""
    problems = []
    for width in (WIDE, NARROW):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"{name}-{width}")
        problems += [f"{width}px: {v}" for v in axe_violations(page)]
        overflow = page.evaluate("document.documentElement.scrollWidth") - width
        if overflow > 0:
            problems.append(f"{width}px: the page is {overflow}px wider than the screen")
    page.set_viewport_size({"width": WIDE, "height": 900})
    assert not problems, "\n".join(problems)
