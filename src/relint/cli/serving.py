"""relint serve: the registry, read-only, in a browser, on Datasette."""

from __future__ import annotations

import ipaddress
import signal
import socket
from pathlib import Path
from typing import Any

import typer

from relint.cli import spec
from relint.cli.messages import note
from relint.cli.options import taking
from relint.cli.typer_app import registry
from relint.errors import RelintError
from relint.i18n import _
from relint.store import Registry, open_reader

commands = typer.Typer()  # the commands of this module; see relint.cli.typer_app.MODULES


@commands.command("serve")
@taking(spec.SERVE)
def serve(ctx: typer.Context, host: str, port: int, allow_sql: bool) -> None:
    """Serve the registry, read-only, to browsers (Datasette).

    The agreements as relint lists them today, with facets; what expires; the
    calendar; the report of the month. Arbitrary SQL is off unless --allow-sql.
    """
    try:
        import datasette  # noqa: F401 (only whether it is there)
    except ImportError:
        raise RelintError(
            _(
                "relint serve needs Datasette: install relint with its web extra"
                " (pip install -e '.[web]' in relint's folder)"
            )
        ) from None
    path = _servable(registry(ctx))  # opened, checked and upgraded by relint first
    listening = _bound(host, port)
    app = _datasette(path, allow_sql)
    shown = f"[{host}]" if ":" in host else host
    note(
        _("Serving {path}, read-only, at http://{host}:{port}/ (Ctrl-C to stop).").format(
            path=path, host=shown, port=port
        )
    )
    if not ipaddress.ip_address(listening.getsockname()[0]).is_loopback:
        note(
            _(
                "Anyone who can reach this machine can read the registry: see the README,"
                " «In a browser», for a password."
            )
        )
    _run(app, listening)


def _servable(opened: Registry) -> Path:
    """The path of the registry ``opened``, if Datasette can serve it."""
    path = opened.path.resolve()
    held, current = opened.schema()
    if held < current:  # read-only, so not upgraded: the view current is not there yet
        raise RelintError(
            _("{path} has an older schema, and relint cannot upgrade it here (read-only): "
              "relint serve needs the current one").format(path=path)
        )  # fmt: skip
    if any(char in str(path) for char in "?#%"):  # Datasette would open another file
        raise RelintError(
            _("relint serve cannot serve a file whose path holds ?, # or %: {path}; "
              "copy it elsewhere with relint backup").format(path=path)
        )  # fmt: skip
    return path


def _datasette(path: Path, allow_sql: bool) -> Any:
    """The ASGI application of a Datasette serving ``path`` as ``registry``, with
    relint's plugin, and SQL of the readers' own only if ``allow_sql``."""
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm

    from relint.web import plugin
    from relint.web.metadata import DATABASE

    reader = open_reader(path)  # a folder SQLite's readers cannot write is read as such
    immutable = reader.immutable
    reader.close()
    if not pm.is_registered(plugin):  # installed without its entry point (a bare copy)
        pm.register(plugin, name="relint")
    plugin.SERVED = True
    ds = Datasette(metadata={"allow_sql": allow_sql}, settings=SETTINGS)
    ds.add_database(Database(ds, path=str(path), is_mutable=not immutable), name=DATABASE)
    ds.remove_database("_memory")  # Datasette's scratch database, of no use to readers
    return ds.app()


def _run(app: Any, listening: socket.socket) -> None:
    """Serve ``app`` on the socket ``listening`` until stopped."""
    import datasette.handle_exception
    import uvicorn

    # A failure is logged in one traceback, without the values of its frames (Rich's
    # show_locals), which would print agreements into the log.
    datasette.handle_exception.rich = None
    if hasattr(signal, "SIGPIPE"):  # a browser that goes away is the server's to handle,
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # not a reason to die (relint.entry)
    # SIGTERM, as a service manager stops it, ends it cleanly (exit 0): uvicorn shuts down
    # and then gives the signal to this handler. Ctrl-C is still "Interrupted." (130).
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listening])


SETTINGS = {
    "default_page_size": 100,
    "suggest_facets": False,  # the four facets are offered; guesses are noise
    "allow_download": False,  # the file holds the audit trail and recipients' addresses
    "default_cache_ttl": 0,  # an edit shows at the next request
    # The first page after a change computes every agreement (see plugin.Rules), in
    # whichever query needs it first: a facet's, too.
    "sql_time_limit_ms": 10_000,
    "facet_time_limit_ms": 10_000,
    "max_returned_rows": 10_000,  # ?_size=max: a registry of up to 10,000 in one page
}


def _bound(host: str, port: int) -> socket.socket:
    """A socket bound to ``host`` and ``port``, or why there can be none, in one line."""
    try:
        family, kind, _proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        bound = socket.socket(family, kind)
    except OSError as error:
        raise _unbound(host, port, error) from None
    try:
        bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bound.bind(address)
    except OSError as error:
        bound.close()
        raise _unbound(host, port, error) from None
    return bound


def _unbound(host: str, port: int, error: OSError) -> RelintError:
    return RelintError(
        _("cannot listen on {host} port {port}: {reason}").format(
            host=host, port=port, reason=error.strerror or error
        )
    )
