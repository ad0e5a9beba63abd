"""``mentorcore completion bash|zsh|fish``: the shell code that completes mentorcore's commands.

Completion is argcomplete's (the ``completion`` extra): the printed code
asks ``mentorcore`` itself for the candidates at each Tab, so plug-in
program ids and every option stay current. Install it once::

    mentorcore completion bash > ~/.local/share/bash-completion/completions/mentorcore
    mentorcore completion zsh > "${fpath[1]}/_mentorcore"
    mentorcore completion fish > ~/.config/fish/completions/mentorcore.fish
"""

from __future__ import annotations

import argparse
from typing import Any

from mentorcore.cli.options import add_command
from mentorcore.cli.output import write
from mentorcore.extras import require

__all__ = ["SHELLS", "complete", "register", "run"]

#: The shells completion code is printed for.
SHELLS = ("bash", "zsh", "fish")


def register(subparsers: Any) -> None:
    """Add the ``completion`` command."""
    parser = add_command(
        subparsers,
        "completion",
        "print shell code that completes mentorcore's commands and options",
        description="Needs the completion extra: pip install 'mentorcore[completion]'. "
        "Write the code where your shell loads completions, then start a new shell.",
        example="mentorcore completion bash \\\n"
        "  > ~/.local/share/bash-completion/completions/mentorcore\n"
        'mentorcore completion zsh > "${fpath[1]}/_mentorcore"\n'
        "mentorcore completion fish > ~/.config/fish/completions/mentorcore.fish",
    )
    parser.add_argument("shell", choices=SHELLS, help="the shell: bash, zsh or fish")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the completion code for the shell."""
    if args.json:
        from mentorcore.errors import MentorcoreError

        raise MentorcoreError("completion prints shell code; --json means nothing here")
    require("completion", "mentorcore completion")
    from argcomplete.shell_integration import shellcode

    write(shellcode(["mentorcore"], shell=args.shell).rstrip("\n"))
    return 0


def complete(parser: argparse.ArgumentParser) -> None:
    """Answer a shell's completion request (argcomplete exits when it has answered)."""
    try:
        import argcomplete
    except ImportError:  # the completion extra was removed after the code was installed
        return
    argcomplete.autocomplete(parser)
