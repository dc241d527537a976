"""A throwaway PostgreSQL server for a test: its own data folder and a free loopback port, removed when it stops."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Debian's postgresql package keeps the server's programs out of PATH, under its major version.
DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"
# The server refuses to run as root (the CI runs as root): there it runs as the account Debian's package creates.
SERVER_ACCOUNT = "postgres"
USER = "gong_tests"


def server_binaries() -> Path | None:
    """The folder of `initdb` and `pg_ctl`: PATH's, or else Debian's newest; None when PostgreSQL is not installed."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).resolve().parent
    found = [Path(folder) for folder in glob.glob(DEBIAN_BINARIES) if (Path(folder) / "initdb").is_file()]
    return max(found, key=lambda folder: int(folder.parent.name), default=None) if found else None


def why_not_runnable() -> str | None:
    """Why no server can be started here, in words for a skip; None when one can."""
    if server_binaries() is None:
        return "PostgreSQL's server is not installed (Debian: apt-get install postgresql; .ci/run installs it)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_ACCOUNT)
        except KeyError:
            return f"running as root, and there is no '{SERVER_ACCOUNT}' account to run PostgreSQL's server as"
    return None


class PostgresServer:
    """`initdb` and `pg_ctl start` in a new temporary folder, listening on 127.0.0.1 only, with a password login for
    `USER`; `stop()` shuts it down and removes the folder. `url` is its SQLAlchemy/psycopg address."""

    def __init__(self) -> None:
        self.binaries = server_binaries()
        if self.binaries is None:
            raise RuntimeError(why_not_runnable() or "PostgreSQL's server is not installed")
        self.password = secrets.token_hex(16)
        self.port = 0
        # Not under pytest's tmp_path: its parent is private to root, and the server's account must reach the folder.
        self.folder = Path(tempfile.mkdtemp(prefix="gong-postgres-"))
        self.data = self.folder / "data"
        try:
            self._initdb()
            self._start()
        except BaseException:
            self.stop()
            raise

    user = USER
    database = "postgres"

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.binaries / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVER_ACCOUNT, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=self.folder)

    def _initdb(self) -> None:
        password_file = self.folder / "password"
        password_file.write_text(self.password + "\n")
        if os.geteuid() == 0:
            account = pwd.getpwnam(SERVER_ACCOUNT)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            os.chown(password_file, account.pw_uid, account.pw_gid)
        done = self._run(
            "initdb",
            *("-D", str(self.data), "-U", USER, f"--pwfile={password_file}", "-E", "UTF8", "--no-locale"),
            *("--auth-host=scram-sha-256", "--auth-local=peer", "--no-sync"),
        )
        password_file.unlink()
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed ({done.returncode}): {done.stderr.strip()[-2000:]}")

    def _start(self) -> None:
        # A free port is only free until someone takes it: on a clash the server does not start, so try another.
        for attempt in range(5):
            self.port = _free_port()
            log = self.folder / f"server-{attempt}.log"
            options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
            done = self._run("pg_ctl", "start", "-D", str(self.data), "-l", str(log), "-w", "-t", "120", "-o", options)
            if done.returncode == 0:
                return
            said = log.read_text(errors="replace") if log.exists() else ""
            if "could not bind" not in said:
                raise RuntimeError(f"pg_ctl start failed ({done.returncode}): {done.stderr.strip()} {said[-2000:]}")
        raise RuntimeError("PostgreSQL found no free loopback port in 5 tries")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w", "-t", "120")
        shutil.rmtree(self.folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        yield server
    finally:
        server.stop()
