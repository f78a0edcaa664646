"""The one e-mail dispatcher (panel.mail): rendered from a template, owed in the caller's
transaction, sent after the commit, retried after an outage, never sent twice."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Any

import pytest
from django.core import mail as django_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction

from panel import mail
from panel.mail import deliver_owed_mail, mail_deliver, mail_send
from panel.models import OutgoingMail

CONTEXT = {
    "party": "Smith & Sons <Energy>",
    "reference": "DCP 417",
    "on": dt.date(2026, 3, 3),
    "count": 1234,
}
SUBJECT = "Notice to Smith & Sons <Energy> about DCP 417"
BODY = "Dear Smith & Sons <Energy>,\n\nDCP 417 moved on 3 March 2026; 1,234 Parties were told.\n"

FAILURES: list[str] = []


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        FAILURES.append("refused")
        raise ConnectionRefusedError("mail server down")


def _send(**overrides: Any) -> OutgoingMail | None:
    arguments: dict[str, Any] = {
        "template": "platform/test",
        "to": ["a@example.com"],
        "context": CONTEXT,
    }
    arguments.update(overrides)
    return mail_send(**arguments)


# -- rendering and recipients ------------------------------------------------------------------


@pytest.mark.django_db
def test_subject_and_body_come_from_the_template_without_html_escaping(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        row = _send()
    assert row is not None
    row.refresh_from_db()
    assert (row.subject, row.body, row.template) == (SUBJECT, BODY, "platform/test")
    assert row.sent_at is not None and row.attempts == 1 and row.last_error == ""
    [message] = mailoutbox
    assert message.subject == SUBJECT
    assert message.body == BODY
    assert message.to == ["a@example.com"]
    assert message.bcc == []


@pytest.mark.django_db
def test_up_to_two_recipients_are_addressed_openly(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _send(to=["b@example.com", "a@example.com", "a@example.com"], bcc=["s@example.com"])
    [message] = mailoutbox
    assert message.to == ["a@example.com", "b@example.com"]
    assert message.bcc == ["s@example.com"]


@pytest.mark.django_db
def test_more_than_two_recipients_go_bcc_so_no_party_sees_another(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        row = _send(to=["a@example.com", "b@example.com", "c@example.com"])
    assert row is not None and row.to == []
    [message] = mailoutbox
    assert message.to == []
    assert sorted(message.bcc) == ["a@example.com", "b@example.com", "c@example.com"]
    assert "a@example.com" not in message.message().as_string()


@pytest.mark.django_db
def test_nothing_is_owed_when_there_is_nobody_to_tell(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert _send(to=["", None, "  "]) is None
    assert callbacks == []
    assert OutgoingMail.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_attachments_are_sent(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _send(attachments=[("register.csv", "a,b\n1,2\n", "text/csv")])
    [message] = mailoutbox
    assert message.attachments == [("register.csv", "a,b\n1,2\n", "text/csv")]


# -- after the commit, not on rollback -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_mail_is_sent_only_after_the_commit(mailoutbox: list[Any]) -> None:
    with transaction.atomic():
        row = _send()
        assert row is not None
        assert mailoutbox == []
    assert len(mailoutbox) == 1
    row.refresh_from_db()
    assert row.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_owes_and_sends_nothing(mailoutbox: list[Any]) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        _send()
        raise RuntimeError("the change failed")
    assert OutgoingMail.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_sends_nothing_but_the_outer_mail_goes(
    mailoutbox: list[Any],
) -> None:
    with transaction.atomic():
        _send(to=["kept@example.com"])
        try:
            with transaction.atomic():
                _send(to=["lost@example.com"])
                raise RuntimeError("inner step failed")
        except RuntimeError:
            pass
    assert [m.to for m in mailoutbox] == [["kept@example.com"]]
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == [["kept@example.com"]]


# -- outages ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_outage_leaves_the_row_owed_and_the_beat_job_sends_it(
    settings: Any, mailoutbox: list[Any]
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    FAILURES.clear()
    with transaction.atomic():
        row = _send()
    assert row is not None
    assert FAILURES == ["refused"]
    row.refresh_from_db()
    assert row.sent_at is None
    assert row.attempts == 1
    assert "mail server down" in row.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    django_mail.outbox = []
    assert deliver_owed_mail() == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.attempts == 2
    assert row.last_error == ""
    assert [m.subject for m in django_mail.outbox] == [SUBJECT]


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_leaves_the_row_for_the_beat_job(
    monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    def broker_down(pk: int) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(mail.deliver_mail, "delay", broker_down)
    with caplog.at_level(logging.WARNING, logger="panel.mail"), transaction.atomic():
        row = _send()
    assert row is not None
    assert mailoutbox == []
    assert "left for the next delivery run" in caplog.text
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 0

    assert deliver_owed_mail() == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_sent_row_is_not_sent_twice(mailoutbox: list[Any]) -> None:
    with transaction.atomic():
        row = _send()
    assert row is not None
    assert len(mailoutbox) == 1
    assert mail.deliver_mail(row.pk) == 0
    assert deliver_owed_mail() == 0
    assert mail_deliver(pks=[row.pk]) == 0
    assert len(mailoutbox) == 1
    row.refresh_from_db()
    assert row.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_the_beat_job_sends_the_oldest_owed_first_and_only_up_to_its_limit(
    monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any]
) -> None:
    monkeypatch.setattr(mail.deliver_mail, "delay", lambda pk: None)
    with transaction.atomic():
        first, second, third = (_send(to=[f"{n}@example.com"]) for n in "xyz")
    assert mail_deliver(limit=2) == 2
    assert [m.to for m in mailoutbox] == [["x@example.com"], ["y@example.com"]]
    assert mail_deliver() == 1
    assert len(mailoutbox) == 3


SLOW_SENDS: list[str] = []


class SlowBackend(BaseEmailBackend):
    """A mail server that takes its time, so two senders overlap."""

    def send_messages(self, email_messages: Any) -> int:
        time.sleep(0.3)
        for message in email_messages:
            SLOW_SENDS.append(message.subject)
        return len(email_messages)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_a_row_once(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    monkeypatch.setattr(mail.deliver_mail, "delay", lambda pk: None)
    with transaction.atomic():
        row = _send()
    assert row is not None
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    SLOW_SENDS.clear()
    start = threading.Barrier(4, timeout=10)
    sent: list[int] = []

    def worker() -> None:
        try:
            start.wait()
            sent.append(mail_deliver(pks=[row.pk]))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(sent) == [0, 0, 0, 1]
    assert SLOW_SENDS == [SUBJECT]
