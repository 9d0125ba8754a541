"""`rasa run` with `--auth-token` taken from COURTBOT_RASA_TOKEN, run in the Rasa env.

Rasa reads the token only from its command line, and any local user can read a process's command
line (ps, /proc/<pid>/cmdline); the environment is readable by the same user only. So the Stack
passes the token in the environment and this starts Rasa in-process with the flag added.
Standard library and Rasa only.
"""

from __future__ import annotations

import os
import sys


def rasa_argv(args: list[str], token: str) -> list[str]:
    # One argument, so a token that starts with "-" is not read as an option.
    return ["rasa", "run", *args, f"--auth-token={token}"]


def main() -> None:
    token = os.environ.get("COURTBOT_RASA_TOKEN", "").strip()
    if not token:
        sys.exit("courtbot: COURTBOT_RASA_TOKEN is not set; Rasa must not run without its API token")
    from rasa.__main__ import main as rasa_main

    sys.argv = rasa_argv(sys.argv[1:], token)
    rasa_main()


if __name__ == "__main__":
    main()
