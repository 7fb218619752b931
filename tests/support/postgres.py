"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, a free port.

PostgreSQL's server programs are found with `pg_config --bindir` (Debian keeps them off
PATH) or NEWSBOT_PG_BINDIR. The server refuses to run as root, so under root the cluster
belongs to an unprivileged user (`nobody`, or NEWSBOT_PG_USER). Durability is switched off:
the cluster lives for one test session and is deleted after it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "newsbot"


def find_bindir() -> tuple[Path | None, str]:
    """The folder of initdb and pg_ctl, or None and why not."""
    configured = os.environ.get("NEWSBOT_PG_BINDIR")
    if configured:
        folder = Path(configured)
    else:
        pg_config = shutil.which("pg_config")
        if pg_config is None:
            return None, "PostgreSQL is not installed (no pg_config on PATH, NEWSBOT_PG_BINDIR unset)"
        answer = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        folder = Path(answer.stdout.strip())
    missing = [p for p in ("initdb", "pg_ctl", "postgres") if not (folder / p).exists()]
    if missing:
        return None, f"{folder} lacks {', '.join(missing)} (install the PostgreSQL server package)"
    return folder, ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    bindir: Path
    root: Path
    port: int
    run_as: str | None  # the unprivileged user when the tests run as root

    @property
    def data(self) -> Path:
        return self.root / "data"

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        answer = subprocess.run(args, capture_output=True, text=True, check=False, user=self.run_as,
                                cwd=self.root)
        if answer.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed ({answer.returncode}):\n{answer.stdout}\n{answer.stderr}")

    @classmethod
    def start(cls, bindir: Path) -> Cluster:
        run_as = (os.environ.get("NEWSBOT_PG_USER") or "nobody") if os.geteuid() == 0 else None
        root = Path(tempfile.mkdtemp(prefix="newsbot-pg-"))
        if run_as is not None:
            shutil.chown(root, user=run_as)
        cluster = cls(bindir, root, _free_port(), run_as)
        cluster._run(str(bindir / "initdb"), "-D", str(cluster.data), "-U", SUPERUSER, "--auth=trust",
                     "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {cluster.port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off"
                   " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        try:
            cluster._run(str(bindir / "pg_ctl"), "-D", str(cluster.data), "-o", options,
                         "-l", str(root / "server.log"), "-w", "-t", "60", "start")
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        return cluster

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str) -> str:
        """A new empty database; its DSN."""
        self._run(str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER,
                  "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.dsn(name)
