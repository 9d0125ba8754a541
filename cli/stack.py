"""Run Rasa, the action server and the gateway as child processes with prefixed logs.

Used by `./courtbot run` (foreground, Ctrl-C stops all) and by the end-to-end tests.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from cli.endpoints import write_endpoints
from cli.paths import BOT_DIR, venv
from cli.training import rasa_env
from core.config import REPO_ROOT, Settings
from core.rasa_token import rasa_token


@dataclass
class Service:
    name: str
    cmd: list[str]
    env: dict[str, str]
    ready_url: str
    ready: Callable[[httpx.Response], bool] = lambda r: r.status_code == 200
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    # A log line that means the service will never become ready (it keeps running regardless).
    fatal_marker: str | None = None
    fatal_line: str | None = field(default=None, repr=False)


def _settings_env(settings: Settings) -> dict[str, str]:
    """The same settings for every child, so they agree on ports, data dir and servers."""
    env = dict(os.environ)
    env.update(
        {
            "COURTBOT_DATA_DIR": str(settings.data_dir),
            "COURTBOT_GATEWAY_PORT": str(settings.gateway_port),
            "COURTBOT_RASA_PORT": str(settings.rasa_port),
            "COURTBOT_ACTIONS_PORT": str(settings.actions_port),
            "PYTHONPATH": str(REPO_ROOT),
            "PYTHONUNBUFFERED": "1",
            # Resolved once here so Rasa and its callers agree even if the token file is replaced.
            "COURTBOT_RASA_TOKEN": rasa_token(settings),
        }
    )
    for key, value in (("DATABASE_URL", settings.database_url), ("REDIS_URL", settings.redis_url)):
        if value:
            env[key] = value
        else:
            env.pop(key, None)
    return env


def services(settings: Settings, model: Path) -> list[Service]:
    env = _settings_env(settings)
    app_python = sys.executable
    rasa = rasa_service(model, settings.rasa_port, env["COURTBOT_RASA_TOKEN"], write_endpoints(settings))
    rasa.env = {**env, **rasa.env}
    return [
        rasa,
        Service(
            "actions",
            [app_python, "-m", "rasa_sdk", "--actions", "actions", "-p", str(settings.actions_port)],
            {**env, "SANIC_HOST": "127.0.0.1"},
            f"{settings.actions_url}/health",
        ),
        Service(
            "gateway",
            [app_python, "-m", "uvicorn", "api.main:app", "--host", settings.gateway_host,
             "--port", str(settings.gateway_port), "--no-access-log"],
            env,
            f"http://127.0.0.1:{settings.gateway_port}/openapi.json",
        ),
    ]


def _pump(service: Service, prefix: str, stream: IO[bytes], sink: IO[str]) -> None:
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace").rstrip()
        if not line:
            continue
        if service.fatal_marker and service.fatal_marker in line:
            service.fatal_line = line
        sink.write(f"{prefix} {line}\n")
        sink.flush()


def rasa_service(model: Path, port: int, token: str, endpoints: Path | None = None) -> Service:
    """`rasa run --enable-api --auth-token …`; cli/rasa_run.py adds the token from the environment."""
    cmd = [str(venv("rasa") / "bin" / "python"), "-m", "cli.rasa_run", "--enable-api", "-i", "127.0.0.1",
           "-p", str(port), "--model", str(model), "--credentials", str(BOT_DIR / "credentials.yml")]
    if endpoints is not None:
        cmd += ["--endpoints", str(endpoints)]
    return Service(
        "rasa",
        cmd,
        {**rasa_env(), "COURTBOT_RASA_TOKEN": token},
        f"http://127.0.0.1:{port}/status?token={token}",
        lambda r: r.status_code == 200 and bool(r.json().get("model_file")),
        fatal_marker="Could not load model",
    )


class Stack:
    """A set of services started, awaited and stopped together."""

    def __init__(self, settings: Settings, model: Path | None = None, log: IO[str] | None = None,
                 only: list[Service] | None = None) -> None:
        self.settings = settings
        if only is not None:
            self.services = only
        elif model is not None:
            self.services = services(settings, model)
        else:
            raise ValueError("a full stack needs a trained model")
        self.log = log or sys.stdout

    def start(self) -> None:
        width = max(len(s.name) for s in self.services)
        for service in self.services:
            service.process = subprocess.Popen(
                service.cmd, cwd=REPO_ROOT, env=service.env,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
            )
            prefix = f"[{service.name:<{width}}]"
            threading.Thread(
                target=_pump, args=(service, prefix, service.process.stdout, self.log), daemon=True
            ).start()

    def wait_ready(self, timeout: float = 300.0) -> float:
        """Seconds until every service answers; raises if one dies or time runs out."""
        started = time.monotonic()
        pending = list(self.services)
        with httpx.Client(timeout=2.0) as client:
            while pending:
                for service in list(pending):
                    assert service.process is not None
                    if service.process.poll() is not None:
                        raise RuntimeError(f"{service.name} exited with code {service.process.returncode}")
                    if service.fatal_line:
                        raise RuntimeError(f"{service.name} cannot start: {service.fatal_line.strip()[:300]}")
                    try:
                        if service.ready(client.get(service.ready_url)):
                            pending.remove(service)
                    except (httpx.HTTPError, ValueError):
                        pass
                if time.monotonic() - started > timeout:
                    raise TimeoutError(f"not ready after {timeout:.0f} s: {[s.name for s in pending]}")
                if pending:
                    time.sleep(0.5)
        return time.monotonic() - started

    def stop(self, grace: float = 10.0) -> None:
        for service in self.services:
            if service.process and service.process.poll() is None:
                os.killpg(service.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for service in self.services:
            if service.process is None:
                continue
            try:
                service.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(service.process.pid, signal.SIGKILL)
                service.process.wait()

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)
