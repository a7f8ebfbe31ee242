"""Shell completion, as Typer offers it, through the installed command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RELINT = str(Path(sys.executable).with_name("relint"))


def completed(words: str, cword: int) -> list[str]:
    environment = os.environ | {
        "_RELINT_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword),
    }  # fmt: skip
    result = subprocess.run([RELINT], capture_output=True, text=True, env=environment,
                            timeout=60, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_tab_completes_commands_and_options() -> None:
    assert completed("relint exp", 1) == ["expiring", "export"]
    assert completed("relint expiring --wi", 2) == ["--within"]
    assert "--install-completion" in completed("relint --", 1)


def test_the_script_to_install_is_shown() -> None:
    # Typer finds the shell among relint's parents: run it from bash, as a person would.
    result = subprocess.run(["bash", "-c", f"{RELINT} --show-completion"], capture_output=True,
                            text=True, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "_RELINT_COMPLETE=complete_bash" in result.stdout


def test_a_mistyped_command_does_not_stop_completion() -> None:
    assert "--help" in completed("relint lst --", 2)
