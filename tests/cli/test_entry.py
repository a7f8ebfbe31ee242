"""The console script's entry function, run in this process: a start cut short."""

from __future__ import annotations

import signal
import sys
import types

import pytest


@pytest.mark.parametrize(
    ("cut", "code", "said"),
    [
        (KeyboardInterrupt, 130, "Interrupted.\n"),
        # An import cut short by Ctrl-C can surface as another error (Python's compiler
        # turns one in a "\N{...}" escape into a SyntaxError): still one line.
        (SyntaxError, 70, "Error: relint could not start (SyntaxError); RELINT_DEBUG=1 shows"
                          " the traceback.\n"),
    ],
)  # fmt: skip
def test_ctrl_c_while_starting_prints_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    cut: type[BaseException], code: int, said: str,
) -> None:  # fmt: skip
    # Ctrl-C lands while relint imports itself: the console script catches it.
    import relint.entry

    starting = types.ModuleType("relint.cli.typer_app")

    def interrupted() -> None:
        raise cut

    starting.run = interrupted  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "relint.cli.typer_app", starting)
    monkeypatch.delenv("RELINT_DEBUG", raising=False)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGPIPE)}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, set())
    try:
        with pytest.raises(SystemExit) as stopped:
            relint.entry.main()
    finally:  # main() sets them for the process it runs in: this one is pytest
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    assert stopped.value.code == code
    assert capsys.readouterr().err == said
