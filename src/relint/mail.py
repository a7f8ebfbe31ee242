"""Reminders by e-mail: one message per run and list of recipients, sent with the
standard library's ``smtplib`` and ``email``.

The message has a plain-text body and an HTML alternative (a table), UTF-8 headers
and body, a ``Date`` and a ``Message-ID``. No password is ever written anywhere: it
is read from the variable the settings name, and handed to the server alone.
"""

from __future__ import annotations

import html
import smtplib
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from relint.errors import RelintError
from relint.i18n import N_, _, language, ngettext, prose_date, shown
from relint.reminders import Reminder
from relint.settings import Settings


def message(reminders: Sequence[Reminder], lines: Sequence[str], sender: str,
            recipients: Sequence[str]) -> EmailMessage:  # fmt: skip
    """The message telling ``recipients`` of ``reminders`` (``lines``: each in words)."""
    first = prose_date(min(r.on for r in reminders))
    count = len({r.agreement.id for r in reminders})
    subject = ngettext(
        "relint: {count} agreement needs attention, on {first}",
        "relint: {count} agreements need attention, the first on {first}",
        count,
    )
    mail = EmailMessage()
    mail["Subject"] = subject.format(count=count, first=first)
    mail["From"] = sender
    mail["To"] = ", ".join(recipients)
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    mail.set_content("\n".join([_("Reminders from relint:"), "", *lines, ""]))
    mail.add_alternative(_html(reminders), subtype="html")
    for part in mail.iter_parts():
        del part["MIME-Version"]  # the message's own header, not its parts'
    return mail


COLUMNS = (N_("ID"), N_("Kind"), N_("Counterpart"), N_("Party"), N_("Event"), N_("On"),
           N_("Days left"), N_("Term"), N_("To do"))  # fmt: skip


def _html(reminders: Sequence[Reminder]) -> str:
    from relint.cli.reminding import todo

    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in (
            r.agreement.id, shown("kind", r.agreement.kind.value), r.agreement.counterpart,
            r.agreement.party or "", _("notice deadline") if r.event == "notice" else _("end"),
            r.on, r.days_left, r.agreement.number, todo(r),
        )) + "</tr>"
        for r in reminders
    )  # fmt: skip
    head = "".join(f"<th>{html.escape(_(h))}</th>" for h in COLUMNS)
    return (
        f'<!DOCTYPE html><html lang="{language()}"><head><meta charset="utf-8">'
        f"<title>{html.escape(_('Reminders'))}</title></head><body><table><thead><tr>{head}"
        f"</tr></thead><tbody>{rows}</tbody></table></body></html>"
    )


def send(mail: EmailMessage, settings: Settings, addresses: list[str]) -> dict[str, str]:
    """Hand ``mail`` to the server for ``addresses``; return those it refused (each with
    the server's answer), once it accepted the message for the others (for none: an
    error)."""
    where = f"{settings.host}:{settings.server_port}"
    try:
        if settings.security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.server_port, timeout=settings.timeout,
                context=settings.tls(),
            )  # fmt: skip
        else:
            server = smtplib.SMTP(settings.host, settings.server_port, timeout=settings.timeout)
        try:
            if settings.security == "starttls":
                server.starttls(context=settings.tls())
            if settings.user is not None:
                _login(server, settings)
            refused = server.send_message(mail, to_addrs=addresses)
        except BaseException:
            server.close()
            raise
    except smtplib.SMTPRecipientsRefused as error:
        said = refusals(_answers(error.recipients))
        raise RelintError(
            _("the mail server {where} refused every recipient: {said}").format(
                where=where, said=said
            )
        ) from None
    except UnicodeError:  # the host's name, as the resolver is given it
        raise RelintError(
            _("cannot send the reminders through {where}: not a host name").format(where=where)
        ) from None
    except (smtplib.SMTPException, OSError) as error:  # a timeout is an OSError
        said = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise RelintError(
            _("cannot send the reminders through {where}: {said}").format(where=where, said=said)
        ) from None
    try:
        server.quit()  # the message was accepted: a failure to part is no failure to send
    except (smtplib.SMTPException, OSError):
        server.close()
    return _answers(refused)


def _answers(refused: dict[str, tuple[int, bytes]]) -> dict[str, str]:
    return {
        address.lower(): f"{code} {answer.decode('utf-8', 'replace')}"
        for address, (code, answer) in refused.items()
    }


def refusals(refused: dict[str, str]) -> str:
    """The addresses refused, each with the server's answer: one line."""
    return "; ".join(f"{address} ({' '.join(answer.split())})" for address, answer in
                     sorted(refused.items()))  # fmt: skip


def _login(server: smtplib.SMTP, settings: Settings) -> None:
    try:
        server.login(settings.user or "", settings.password() or "")
    except UnicodeEncodeError:  # smtplib sends them as ASCII
        raise RelintError(_("the SMTP user name and password must be ASCII to log in")) from None
