"""Write one benchmark's section of benchmarks/RESULTS.md, with its command, machine and date.

Every figure in RESULTS.md is written by the script that measured it: each script owns the text
between `<!-- NAME:begin -->` and `<!-- NAME:end -->` and replaces it whole; the rest of the file is
left as it is. A section that does not exist yet is appended.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path

RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"


def machine() -> str:
    """What ran the benchmark: architecture, cores, memory, Python."""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        memory = ""
    return f"{platform.machine()}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"


def command_line(argv: list[str] | None = None) -> str:
    """The command as it was run, relative to the repository where possible."""
    args = list(sys.argv if argv is None else argv)
    repo = RESULTS_MD.parent.parent
    if args:
        with contextlib.suppress(ValueError):  # a script outside the repo keeps its full path
            args[0] = str(Path(args[0]).resolve().relative_to(repo))
    return shlex.join(args)


def write_section(name: str, title: str, body: str, command: str | None = None, path: Path = RESULTS_MD) -> None:
    """Replace (or append) section `name`: a heading, the provenance line, then `body` (Markdown)."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"{begin}\n### {title}\n\n"
        f"Command: `{command or command_line()}`. Machine: {machine()}. Measured: {stamp}.\n\n"
        f"{body.rstrip()}\n{end}"
    )
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + section + tail
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text)
