"""The settings file: how reminders reach people by e-mail.

TOML, read from ``$RELINT_CONFIG`` when set, else ``$XDG_CONFIG_HOME/relint/config.toml``
(``~/.config/relint/config.toml``). Every key is optional, and an option given on the
command line wins over it::

    lang = "it"                      # --lang, RELINT_LANG: it or en (default: the locale)

    [smtp]
    host = "smtp.comune.milano.it"   # --smtp HOST[:PORT]; default localhost
    port = 587                       # default: 465 with ssl, else 25 (587 with starttls)
    security = "starttls"            # starttls, ssl or none (default)
    user = "relazioni.internazionali"  # a login: with starttls or ssl only
    password_env = "RELINT_SMTP_PASSWORD"  # the variable holding the password
    timeout = 30                     # seconds to wait for the server (7.5 will do)
    cafile = "/etc/ssl/comune.pem"   # a CA to trust besides the system's (an office's own)

    [mail]
    from = "Relazioni internazionali <relint@comune.milano.it>"  # --from
    to = ["ufficio@comune.milano.it"]                            # --to

    [mail.to_by_party]               # reminders of a party's agreements go to these
    "Regione Lombardia" = ["relazioni.internazionali@regione.lombardia.it"]

    [remind]
    steps = "90d,30d,7d"             # --steps

The password is never read from the file, only from the variable it names, and goes
only to the file's own host: ``--smtp`` naming another host drops the login.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relint.errors import RelintError
from relint.i18n import _

if TYPE_CHECKING:  # ssl and tomllib load only when mail is sent, or settings read
    import ssl
    from email.headerregistry import Address

SECURITIES = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class Settings:
    host: str = "localhost"
    port: int | None = None
    security: str = "none"
    user: str | None = None
    password_env: str | None = None
    timeout: float = 30.0
    cafile: str | None = None
    sender: str | None = None
    to: tuple[str, ...] = ()
    to_by_party: dict[str, tuple[str, ...]] = field(default_factory=dict)
    steps: str | None = None

    @property
    def server_port(self) -> int:
        if self.port is not None:
            return self.port
        return {"ssl": 465, "starttls": 587}.get(self.security, 25)

    def tls(self) -> ssl.SSLContext:
        """What checks the server's certificate: the system's CAs, and ``cafile``'s."""
        import ssl

        context = ssl.create_default_context()
        if self.cafile is not None:
            try:
                context.load_verify_locations(cafile=self.cafile)
            except (OSError, ssl.SSLError) as error:
                raise RelintError(
                    _("cannot read the CA file {cafile}: {error}").format(
                        cafile=self.cafile, error=error
                    )
                ) from None
        return context

    def password(self) -> str | None:
        """The password, from the variable ``password_env`` names."""
        if self.password_env is None:
            return None
        value = os.environ.get(self.password_env)
        if value is None:
            raise RelintError(
                _("${password_env}, which holds the SMTP password, is not set").format(
                    password_env=self.password_env
                )
            )
        return value


def address(text: str) -> str:
    """``text`` if it is one e-mail address (``name@host``, or ``Name <name@host>``)
    that mail can carry as it is (a mailbox name in ASCII)."""
    _parsed(text)
    return text


def bare(text: str) -> str:
    """The address ``text`` names, as the mail server is given it, in lower case:
    ``a@b.it`` for ``Ufficio <A@b.it>``."""
    spec: str = _parsed(text).addr_spec
    return spec.lower()


def _parsed(text: str) -> Address:
    from email.headerregistry import HeaderRegistry

    header: Any = None
    try:
        if not any(ord(c) < 32 for c in text):  # a line break would end the header
            header = HeaderRegistry()("To", text)
    except (ValueError, IndexError):
        pass
    found: tuple[Address, ...] = ()
    if header is not None and not header.defects:
        found = tuple(header.addresses)
    if len(found) != 1 or not found[0].username or not found[0].domain:
        hint = (
            '; quote a name that has a comma: "Relazioni, Comune" <relint@comune.it>'
            if "," in text
            else "; write name@host.it, or Name <name@host.it>"
        )
        raise RelintError(_("not an e-mail address: {text!r}{hint}").format(text=text, hint=hint))
    if not found[0].addr_spec.isascii():
        raise RelintError(
            _("not an address mail can carry as it is: {text!r}; its name is to be ASCII").format(
                text=text
            )
        )
    return found[0]


def location() -> Path:
    """Where relint looks for its settings."""
    if given := os.environ.get("RELINT_CONFIG"):
        return Path(given)
    home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(home) / "relint" / "config.toml"


def load(path: Path | None = None) -> Settings:
    """The settings in ``path`` (else ``location()``); the defaults when there is none."""
    import tomllib

    path = path or location()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if os.environ.get("RELINT_CONFIG"):
            raise RelintError(
                _("no settings at {path}, where $RELINT_CONFIG points").format(path=path)
            ) from None
        return Settings()
    except (OSError, UnicodeDecodeError) as error:
        raise RelintError(
            _("cannot read the settings {path}: {error}").format(path=path, error=error)
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise RelintError(
            _("the settings {path} are not TOML: {error}").format(path=path, error=error)
        ) from None
    return _settings(document, path)


KEYS = {
    "": {"lang", "smtp", "mail", "remind"},
    "smtp": {"host", "port", "security", "user", "password_env", "timeout", "cafile"},
    "mail": {"from", "to", "to_by_party"},
    "remind": {"steps"},
}


def _settings(document: dict[str, Any], path: Path) -> Settings:
    for table, known in KEYS.items():
        given = document if not table else document.get(table, {})
        unknown = sorted(set(given) - known) if isinstance(given, dict) else []
        if unknown:
            where = f"{table}." if table else ""
            raise RelintError(
                _("{path}: unknown key {where}{unknown}").format(
                    path=path, where=where, unknown=unknown[0]
                )
            )
    smtp, mail, remind = (_table(document, name, path) for name in ("smtp", "mail", "remind"))
    if ("user" in smtp) != ("password_env" in smtp):
        raise RelintError(
            _("{path}: give smtp.user and smtp.password_env together").format(path=path)
        )
    security = _text(smtp, "smtp", "security", path) or "none"
    if security not in SECURITIES:
        raise RelintError(
            _("{path}: smtp.security is {security!r}; use {SECURITIES}").format(
                path=path, security=security, SECURITIES=", ".join(SECURITIES)
            )
        )
    if "user" in smtp and security == "none":
        raise RelintError(
            _(
                "{path}: smtp.user needs smtp.security starttls or ssl: a password is not sent in"
                " clear"
            ).format(path=path)
        )
    parties = _table(mail, "to_by_party", path, "mail.")
    return Settings(
        host=_text(smtp, "smtp", "host", path) or "localhost",
        port=_whole(smtp, "smtp", "port", path),
        security=security,
        user=_text(smtp, "smtp", "user", path),
        password_env=_text(smtp, "smtp", "password_env", path),
        timeout=_seconds(smtp, "smtp", "timeout", path),
        cafile=_text(smtp, "smtp", "cafile", path),
        sender=_checked(_text(mail, "mail", "from", path), path),
        to=_addresses(mail, "mail", "to", path),
        to_by_party={
            party: _addresses(parties, "mail.to_by_party", party, path) for party in parties
        },
        steps=_text(remind, "remind", "steps", path),
    )


def _table(document: dict[str, Any], key: str, path: Path, within: str = "") -> dict[str, Any]:
    value = document.get(key, {})
    if not isinstance(value, dict):
        raise RelintError(
            _("{path}: {within}{key} is to be a table").format(path=path, within=within, key=key)
        )
    return value


def _value(table: dict[str, Any], where: str, key: str) -> tuple[Any, str]:
    """The value of ``key`` in ``table`` (``where`` in the file), and its full name."""
    return table.get(key), f"{where}.{key}"


def _text(table: dict[str, Any], where: str, key: str, path: Path) -> str | None:
    value, name = _value(table, where, key)
    if value is not None and not isinstance(value, str):
        raise RelintError(_("{path}: {name} is to be text").format(path=path, name=name))
    return value


def _whole(table: dict[str, Any], where: str, key: str, path: Path) -> int | None:
    value, name = _value(table, where, key)
    if value is not None and (type(value) is not int or value <= 0):
        raise RelintError(
            _("{path}: {name} is to be a whole number above 0").format(path=path, name=name)
        )
    return value


def _seconds(table: dict[str, Any], where: str, key: str, path: Path) -> float:
    value, name = _value(table, where, key)
    if value is None:
        return 30.0
    if type(value) not in (int, float) or not 0 < value <= 3600:
        raise RelintError(
            _("{path}: {name} is to be a number of seconds, above 0 and at most 3600").format(
                path=path, name=name
            )
        )
    return float(value)


def _addresses(table: dict[str, Any], where: str, key: str, path: Path) -> tuple[str, ...]:
    value, name = _value(table, where, key)
    if value is None:
        value = []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RelintError(
            _("{path}: {name} is to be a list of addresses").format(path=path, name=name)
        )
    return tuple(_checked(item, path) or "" for item in value)


def _checked(text: str | None, path: Path) -> str | None:
    try:
        return None if text is None else address(text)
    except RelintError as error:
        raise RelintError(f"{path}: {error}") from None
