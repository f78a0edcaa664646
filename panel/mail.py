"""The one e-mail dispatcher: a template, its recipients and context, sent after the commit.

`mail_send(template="changes/consultation_opened", to=[...], context={...})` renders
`templates/mail/<template>.txt` (its first line is the subject, then a blank line, then the body),
writes an OutgoingMail row in the caller's transaction and, once that commits, sends it. A broker
or mail outage leaves the row unsent; `deliver_owed_mail` (a beat job) sends it later.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.utils import timezone

from .models import OutgoingMail

logger = logging.getLogger(__name__)

# Plain-text mail: no HTML escaping of names such as "Smith & Sons"; the site's tag libraries
# (`{% load humanize %}`) as on the pages.
_engine = Engine(
    dirs=[str(d) for d in cast(Iterable[Any], settings.TEMPLATES[0]["DIRS"])],
    app_dirs=True,
    autoescape=False,
    libraries=get_installed_libraries(),
)

BCC_FROM = 2  # more recipients than this are sent Bcc, so no Party sees another's address


def mail_render(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of `templates/mail/<template>.txt`, as plain text."""
    text = _engine.get_template(f"mail/{template}.txt").render(
        Context(dict(context), autoescape=False)
    )
    subject, _, body = text.lstrip("\n").partition("\n")
    return subject.removeprefix("Subject:").strip(), body.lstrip("\n")


def _addresses(addresses: Iterable[str | None]) -> list[str]:
    return sorted({a.strip() for a in addresses if a and a.strip()})


def mail_send(
    *,
    template: str,
    to: Iterable[str | None],
    context: Mapping[str, Any] | None = None,
    bcc: Iterable[str | None] = (),
    attachments: Sequence[tuple[str, str, str]] = (),
) -> OutgoingMail | None:
    """Owe one e-mail (nothing when there is nobody to send it to); send it after the commit.

    `attachments` are (file name, text content, MIME type).
    """
    recipients, blind = _addresses(to), _addresses(bcc)
    if len(recipients) > BCC_FROM:
        recipients, blind = [], _addresses([*recipients, *blind])
    if not recipients and not blind:
        return None
    subject, body = mail_render(template, context or {})
    mail = OutgoingMail.objects.create(
        template=template,
        subject=subject[:300],
        body=body,
        to=recipients,
        bcc=blind,
        attachments=[list(a) for a in attachments],
    )
    transaction.on_commit(lambda: _deliver_soon(mail.pk))
    return mail


def _deliver_soon(pk: int) -> None:
    try:
        deliver_mail.delay(pk)
    except Exception:  # noqa: BLE001 - broker down: the beat job sends it later
        logger.warning("mail %s left for the next delivery run", pk, exc_info=True)


def mail_deliver(*, pks: Iterable[int] | None = None, limit: int = 500) -> int:
    """Send owed mail (the given rows, or the oldest unsent); returns how many went.

    Each row is claimed under a row lock (skipping rows another sender holds) and re-read, so
    two senders at once (the after-commit task and the beat job) send a row once.
    """
    owed = OutgoingMail.objects.filter(sent_at=None).order_by("pk")
    if pks is not None:
        owed = owed.filter(pk__in=list(pks))
    sent = 0
    connection = get_connection()
    for pk in list(owed.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            mail = (
                OutgoingMail.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, sent_at=None)
                .first()
            )
            if mail is None:  # sent meanwhile, or being sent by another sender
                continue
            sent += _send_one(mail, connection)
    return sent


def _send_one(mail: OutgoingMail, connection: Any) -> int:
    message = EmailMessage(
        mail.subject,
        mail.body,
        settings.DEFAULT_FROM_EMAIL,
        to=mail.to,
        bcc=mail.bcc,
        connection=connection,
    )
    for name, content, mimetype in mail.attachments:
        message.attach(name, content, mimetype)
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - kept for the next run, with the reason
        OutgoingMail.objects.filter(pk=mail.pk).update(
            attempts=F("attempts") + 1, last_error=str(error)[:2000]
        )
        return 0
    OutgoingMail.objects.filter(pk=mail.pk).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return 1


@shared_task
def deliver_mail(pk: int) -> int:
    """Send one owed e-mail now (safe to run twice: a sent row is not sent again)."""
    return mail_deliver(pks=[pk])


@shared_task
def deliver_owed_mail() -> int:
    """Beat job: send whatever an outage left unsent."""
    return mail_deliver()
