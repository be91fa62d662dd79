"""The database secrets engine's TLS (libpq's `sslmode`/`sslrootcert`, against a throwaway
PostgreSQL with `ssl=on` that accepts TCP logins only over TLS), password policies
(`sys/policies/password`, used by connection configs and overridden by roles) and username
templates, driven by the `bao` CLI and raw HTTP."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from test_database import (
    GRANT_SELECT, PLUGIN, READONLY_SQL, ROOT, VERIFY_ERROR, bao_json, create_role, creds, dev_server, enable,
    errors, templated_url,
)

# TCP logins only over TLS: a plaintext connection finds no pg_hba.conf entry.
HBA_TLS_ONLY = """local all all scram-sha-256
hostssl all all 127.0.0.1/32 scram-sha-256
"""


# --- certificates -----------------------------------------------------------------------

OPENSSL_CNF = """[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = ${ENV::SAN}
"""


class Pki:
    """Certificates made with the `openssl` CLI in `workdir`: a CA with two server certificates
    it signed (one for IP 127.0.0.1, one for DNS elsewhere.example) and an unrelated CA."""

    def __init__(self, workdir):
        self.dir = Path(workdir)
        self.dir.mkdir(exist_ok=True)
        (self.dir / "openssl.cnf").write_text(OPENSSL_CNF)
        self.ca = self._ca("ca", "Strongroom Test CA")
        self.other_ca = self._ca("other-ca", "Unrelated Test CA")
        self.server = self._server("server", "127.0.0.1", "IP:127.0.0.1")
        self.elsewhere = self._server("elsewhere", "elsewhere.example", "DNS:elsewhere.example")

    def _openssl(self, *args, san="DNS:unused"):
        result = subprocess.run(["openssl", *args], cwd=self.dir, capture_output=True, text=True, timeout=30,
                                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "SAN": san,
                                     "OPENSSL_CONF": "openssl.cnf"})
        assert result.returncode == 0, f"openssl {' '.join(args)}: {result.stderr}"

    def _key(self, name):
        self._openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", f"{name}.key")
        return self.dir / f"{name}.key"

    def _ca(self, name, cn):
        self._key(name)
        self._openssl("req", "-x509", "-new", "-key", f"{name}.key", "-subj", f"/CN={cn}", "-days", "2",
                      "-config", "openssl.cnf", "-extensions", "ca", "-out", f"{name}.pem")
        return self.dir / f"{name}.pem"

    def _server(self, name, cn, san):
        """(cert PEM, key PEM) of a server certificate signed by `ca`."""
        self._key(name)
        self._openssl("req", "-new", "-key", f"{name}.key", "-subj", f"/CN={cn}", "-config", "openssl.cnf",
                      "-out", f"{name}.csr", san=san)
        self._openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial",
                      str(int.from_bytes(os.urandom(8), "big")), "-days", "2",
                      "-extfile", "openssl.cnf", "-extensions", "server", "-out", f"{name}.pem", san=san)
        return (self.dir / f"{name}.pem").read_bytes(), (self.dir / f"{name}.key").read_bytes()


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return Pki(tmp_path_factory.mktemp("pki"))


def tls_cluster(postgres_factory, cert_and_key):
    """A cluster with `ssl=on` serving `cert_and_key`, whose pg_hba.conf allows TCP only over TLS."""
    cert, key = cert_and_key
    return postgres_factory(
        settings={"ssl": "on", "ssl_cert_file": "server.crt", "ssl_key_file": "server.key"},
        hba=HBA_TLS_ONLY,
        files={"server.crt": cert, "server.key": key},
    )


# --- helpers ----------------------------------------------------------------------------


def url(pg, query=""):
    """The templated connection URL of `pg`, with `query` (such as `sslmode=require`)."""
    return templated_url(pg) + (f"?{query}" if query else "")


def write_config(server, connection_url, name="postgresql", **extra):
    """PUT database/config/<name>; returns the response (the caller asserts)."""
    return server.request("PUT", f"database/config/{name}", token=ROOT, body={
        "plugin_name": PLUGIN, "allowed_roles": "*", "connection_url": connection_url,
        "username": "root", "password": "rootpassword", **extra,
    })


def config_works(server, pg, connection_url, **params):
    """The config is stored, a role can be written (tried in PostgreSQL) and the credentials it
    issues log in, over TLS when `params` ask libpq for it; returns the issued username."""
    r = write_config(server, connection_url)
    assert r.status_code == 204, r.text
    assert server.request("GET", "database/config/postgresql", token=ROOT).json()["data"]["connection_details"][
        "connection_url"] == connection_url
    create_role(server, "readonly")
    body = creds(server)
    username, password = body["data"]["username"], body["data"]["password"]
    assert username in pg.roles()
    with pg.connect(username, password, **params) as conn:
        assert conn.execute("SELECT count(*) FROM products").fetchall() == [(2,)]
        assert conn.pgconn.ssl_in_use is (params.get("sslmode") != "disable")
    return username


def config_refused(server, connection_url):
    """The config is refused with 400 and not stored; returns the one error message."""
    r = write_config(server, connection_url)
    assert r.status_code == 400, r.text
    assert server.request("GET", "database/config/postgresql", token=ROOT).status_code == 404
    assert server.request("LIST", "database/config", token=ROOT).status_code == 404
    [error] = errors(r)
    assert error.startswith(VERIFY_ERROR), error
    return error


def engine_sessions(pg):
    """(ssl, TLS version) of the engine's open sessions (application_name 'strongroom')."""
    return pg.sql("SELECT s.ssl, s.version FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
                  "WHERE a.application_name = 'strongroom'")


def no_lease_and_no_user(server, pg, role="readonly"):
    r = server.request("LIST", f"sys/leases/lookup/database/creds/{role}/", token=ROOT)
    assert r.status_code == 404, r.text
    assert server.request("GET", "sys/leases/counts", token=ROOT).json()["data"]["total"] == 0
    assert pg.roles() == {}


# --- TLS --------------------------------------------------------------------------------


def test_the_tls_cluster_refuses_plaintext(postgres_factory, pki):
    """The fixture itself: libpq gets in over TLS only, so the engine's successes below were
    encrypted."""
    pg = tls_cluster(postgres_factory, pki.server)
    ok, error = pg.login("root", "rootpassword", sslmode="disable")
    assert not ok
    assert 'no pg_hba.conf entry for host "127.0.0.1", user "root", database "myapp", no encryption' in error, error
    with pg.connect("root", "rootpassword", sslmode="verify-full", sslrootcert=str(pki.ca)) as conn:
        assert conn.pgconn.ssl_in_use is True
        assert conn.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchall() == [(True,)]


def test_sslmode_require_encrypts_and_issues_working_credentials(servers, postgres_factory, pki):
    pg = tls_cluster(postgres_factory, pki.server)
    server = dev_server(servers)
    enable(server)
    username = config_works(server, pg, url(pg, "sslmode=require"), sslmode="require")
    # The pool keeps the connection that created the user open: it is encrypted.
    sessions = engine_sessions(pg)
    assert sessions and all(ssl for ssl, _ in sessions), sessions
    assert {version for _, version in sessions} <= {"TLSv1.2", "TLSv1.3"}, sessions
    r = server.request("PUT", "sys/leases/revoke-prefix/database/creds/readonly", token=ROOT)
    assert r.status_code == 204, r.text
    assert username not in pg.roles()


def test_the_default_sslmode_prefer_uses_tls_when_offered(servers, postgres_factory, pki):
    pg = tls_cluster(postgres_factory, pki.server)
    server = dev_server(servers)
    enable(server)
    config_works(server, pg, url(pg), sslmode="require")
    sessions = engine_sessions(pg)
    assert sessions and all(ssl for ssl, _ in sessions), sessions


def test_sslmode_disable_is_refused_by_a_tls_only_server(servers, postgres_factory, pki):
    pg = tls_cluster(postgres_factory, pki.server)
    server = dev_server(servers)
    enable(server)
    error = config_refused(server, url(pg, "sslmode=disable"))
    assert error == (VERIFY_ERROR + ' FATAL: no pg_hba.conf entry for host "127.0.0.1", user "root", '
                     'database "myapp", no encryption'), error
    cli = server.bao("write", "database/config/postgresql", f"plugin_name={PLUGIN}",
                     f"connection_url={url(pg, 'sslmode=disable')}", "username=root", "password=rootpassword",
                     token=ROOT)
    assert cli.returncode == 2 and "Code: 400" in cli.stderr and "no encryption" in cli.stderr, cli.stderr
    assert server.request("GET", "database/config/postgresql", token=ROOT).status_code == 404


def test_verify_full_with_the_right_ca_and_name(servers, postgres_factory, pki):
    pg = tls_cluster(postgres_factory, pki.server)
    server = dev_server(servers)
    enable(server)
    config_works(server, pg, url(pg, f"sslmode=verify-full&sslrootcert={pki.ca}"),
                 sslmode="verify-full", sslrootcert=str(pki.ca))
    sessions = engine_sessions(pg)
    assert sessions and all(ssl for ssl, _ in sessions), sessions
    # The key=value DSN form takes the same settings.
    dsn = (f"host=127.0.0.1 port={pg.port} dbname=myapp user={{{{username}}}} password={{{{password}}}} "
           f"sslmode=verify-full sslrootcert={pki.ca}")
    r = write_config(server, dsn, name="dsn")
    assert r.status_code == 204, r.text
    r = write_config(server, dsn.replace(str(pki.ca), str(pki.other_ca)), name="dsn2")
    assert r.status_code == 400 and "invalid peer certificate: UnknownIssuer" in errors(r)[0], r.text


def test_verify_full_checks_the_name_and_verify_ca_does_not(servers, postgres_factory, pki):
    pg = tls_cluster(postgres_factory, pki.elsewhere)  # signed by the CA, for elsewhere.example
    server = dev_server(servers)
    enable(server)
    # libpq's own verdicts, for comparison.
    ok, libpq_error = pg.login("root", "rootpassword", sslmode="verify-full", sslrootcert=str(pki.ca))
    assert not ok and 'server certificate for "elsewhere.example"' in libpq_error, libpq_error
    assert 'does not match host name "127.0.0.1"' in libpq_error, libpq_error
    assert pg.login("root", "rootpassword", sslmode="verify-ca", sslrootcert=str(pki.ca)) == (True, None)

    error = config_refused(server, url(pg, f"sslmode=verify-full&sslrootcert={pki.ca}"))
    assert error == (VERIFY_ERROR + ' error performing TLS handshake: invalid peer certificate: certificate not '
                     'valid for name "127.0.0.1"; certificate is only valid for DnsName("elsewhere.example")'), error
    config_works(server, pg, url(pg, f"sslmode=verify-ca&sslrootcert={pki.ca}"),
                 sslmode="verify-ca", sslrootcert=str(pki.ca))
    # libpq: `require` with a root certificate file is `verify-ca`, which this certificate passes.
    r = write_config(server, url(pg, f"sslmode=require&sslrootcert={pki.ca}"))
    assert r.status_code == 204, r.text


def test_an_unrelated_ca_is_refused(servers, postgres_factory, pki):
    pg = tls_cluster(postgres_factory, pki.server)
    server = dev_server(servers)
    enable(server)
    unknown = VERIFY_ERROR + " error performing TLS handshake: invalid peer certificate: UnknownIssuer"
    assert config_refused(server, url(pg, f"sslmode=verify-ca&sslrootcert={pki.other_ca}")) == unknown
    assert config_refused(server, url(pg, f"sslmode=verify-full&sslrootcert={pki.other_ca}")) == unknown
    # libpq: `require` plus `sslrootcert` checks the chain, as verify-ca does; so does libpq.
    assert config_refused(server, url(pg, f"sslmode=require&sslrootcert={pki.other_ca}")) == unknown
    ok, libpq_error = pg.login("root", "rootpassword", sslmode="require", sslrootcert=str(pki.other_ca))
    assert not ok and "certificate verify failed" in libpq_error, libpq_error
    # Without sslrootcert the operating system's roots are used, and they do not know this CA.
    assert config_refused(server, url(pg, "sslmode=verify-full")) == unknown


def test_bad_tls_settings_are_named(servers, postgres_factory, pki, tmp_path):
    pg = tls_cluster(postgres_factory, pki.server)
    server = dev_server(servers)
    enable(server)
    error = config_refused(server, url(pg, "sslmode=bogus"))
    assert error == (VERIFY_ERROR + ' invalid sslmode "bogus": use disable, allow, prefer, require, verify-ca or '
                     'verify-full'), error
    missing = tmp_path / "missing-ca.pem"
    error = config_refused(server, url(pg, f"sslmode=verify-ca&sslrootcert={missing}"))
    assert error.startswith(VERIFY_ERROR + f' cannot read sslrootcert "{missing}": '), error
    assert "No such file or directory" in error, error

    # Stored without verification, a bad setting fails the credential request instead, cleanly.
    r = write_config(server, url(pg, "sslmode=require"))
    assert r.status_code == 204, r.text
    create_role(server, "readonly")
    for query, expected in [("sslmode=bogus", 'invalid sslmode "bogus"'),
                            (f"sslmode=verify-ca&sslrootcert={missing}", f'cannot read sslrootcert "{missing}"')]:
        r = write_config(server, url(pg, query), verify_connection=False)
        assert r.status_code == 204, r.text
        r = server.request("GET", "database/creds/readonly", token=ROOT)
        assert r.status_code == 400, r.text
        assert expected in errors(r)[0], errors(r)
        no_lease_and_no_user(server, pg)


# --- password policies ------------------------------------------------------------------

PG_POLICY = """length = 32
rule "charset" {
  charset = "abcdefghijklmnopqrstuvwxyz"
  min-chars = 2
}
rule "charset" {
  charset = "0123456789"
  min-chars = 2
}
rule "charset" {
  charset = "!@#"
  min-chars = 1
}
"""
OTHER_POLICY = """length = 12
rule "charset" {
  charset = "XYZ"
  min-chars = 1
}
rule "charset" {
  charset = "789"
  min-chars = 1
}
"""
# Quotes and a backslash, several of each in every password.
QUOTES_POLICY = r"""length = 24
rule "charset" {
  charset = "ab'"
  min-chars = 0
}
rule "charset" {
  charset = "'"
  min-chars = 4
}
rule "charset" {
  charset = "\"\\"
  min-chars = 2
}
"""


def obeys_pg(password):
    return (len(password) == 32 and re.fullmatch(r"[a-z0-9!@#]{32}", password) is not None
            and sum(c.islower() for c in password) >= 2 and sum(c.isdigit() for c in password) >= 2
            and sum(c in "!@#" for c in password) >= 1)


def obeys_other(password):
    return (re.fullmatch(r"[XYZ789]{12}", password) is not None and any(c in "XYZ" for c in password)
            and any(c in "789" for c in password))


def obeys_quotes(password):
    return (re.fullmatch(r"""[ab'"\\]{24}""", password) is not None and password.count("'") >= 4
            and sum(c in '"\\' for c in password) >= 2)


def put_policy(server, name, hcl):
    r = server.request("PUT", f"sys/policies/password/{name}", token=ROOT, body={"policy": hcl})
    assert r.status_code == 204, r.text


def generated(server, name):
    r = server.request("GET", f"sys/policies/password/{name}/generate", token=ROOT)
    assert r.status_code == 200, r.text
    return r.json()["data"]["password"]


def test_password_policy_write_read_generate_and_refusals(servers, tmp_path):
    server = dev_server(servers)
    (tmp_path / "pg.hcl").write_text(PG_POLICY)
    written = server.bao("write", "sys/policies/password/pg", f"policy=@{tmp_path / 'pg.hcl'}", token=ROOT)
    assert written.returncode == 0, written.stderr
    assert "Success! Data written to: sys/policies/password/pg" in written.stdout
    assert bao_json(server, "read", "-format=json", "sys/policies/password/pg")["data"] == {"policy": PG_POLICY}

    samples = [bao_json(server, "read", "-format=json", "sys/policies/password/pg/generate")["data"]["password"]
               for _ in range(3)] + [generated(server, "pg") for _ in range(20)]
    bad = [p for p in samples if not obeys_pg(p)]
    assert not bad, bad
    assert len(set(samples)) == len(samples)
    listed = server.bao("list", "-format=json", "sys/policies/password", token=ROOT)
    assert listed.returncode == 0 and json.loads(listed.stdout) == ["pg"], listed.stdout + listed.stderr

    # A policy that could never be valid is refused, and nothing is stored or replaced.
    too_short = 'length = 3\nrule "charset" {\n  charset = "ab"\n}\n'
    for name in ("short", "pg"):
        r = server.request("PUT", f"sys/policies/password/{name}", token=ROOT, body={"policy": too_short})
        assert r.status_code == 400, r.text
        assert errors(r) == ["invalid password policy: length must be between 4 and 100, got 3"]
    assert server.request("GET", "sys/policies/password/short", token=ROOT).status_code == 404
    assert server.request("GET", "sys/policies/password/pg", token=ROOT).json()["data"] == {"policy": PG_POLICY}
    (tmp_path / "short.hcl").write_text(too_short)
    cli = server.bao("write", "sys/policies/password/short", f"policy=@{tmp_path / 'short.hcl'}", token=ROOT)
    assert cli.returncode == 2 and "Code: 400" in cli.stderr
    assert "invalid password policy: length must be between 4 and 100, got 3" in cli.stderr, cli.stderr
    r = server.request("PUT", "sys/policies/password/short", token=ROOT,
                       body={"policy": 'length = 4\nrule "charset" {\n  charset = "a"\n  min-chars = 5\n}\n'})
    assert r.status_code == 400 and errors(r) == [
        "invalid password policy: rules require at least 5 characters but length is 4"], r.text
    r = server.request("GET", "sys/policies/password/short/generate", token=ROOT)
    assert r.status_code == 400 and errors(r) == ['no password policy named "short"'], r.text
    assert server.request("LIST", "sys/policies/password", token=ROOT).json()["data"]["keys"] == ["pg"]

    deleted = server.bao("delete", "sys/policies/password/pg", token=ROOT)
    assert deleted.returncode == 0, deleted.stderr
    assert server.request("GET", "sys/policies/password/pg", token=ROOT).status_code == 404


def test_config_and_role_password_policies(servers, postgres):
    server = dev_server(servers)
    enable(server)
    put_policy(server, "pg", PG_POLICY)
    put_policy(server, "other", OTHER_POLICY)
    r = write_config(server, url(postgres), password_policy="pg")
    assert r.status_code == 204, r.text
    assert server.request("GET", "database/config/postgresql", token=ROOT).json()["data"]["password_policy"] == "pg"
    create_role(server, "readonly")
    create_role(server, "special", credential_config={"password_policy": "other"})
    data = server.request("GET", "database/roles/special", token=ROOT).json()["data"]
    assert data["credential_config"] == {"password_policy": "other"}, data
    assert "credential_config" not in server.request("GET", "database/roles/readonly", token=ROOT).json()["data"]

    for role, obeys in [("readonly", obeys_pg), ("special", obeys_other)]:
        for _ in range(3):
            body = creds(server, role)
            username, password = body["data"]["username"], body["data"]["password"]
            assert obeys(password), (role, password)
            with postgres.connect(username, password) as conn:
                assert conn.execute("SELECT count(*) FROM products").fetchall() == [(2,)]
    # Root rotation uses the config's policy; its `@` and `#` must not break the URL the engine
    # connects with afterwards.
    r = server.request("PUT", "database/rotate-root/postgresql", token=ROOT)
    assert r.status_code == 204, r.text
    assert postgres.login("root", "rootpassword")[0] is False
    body = creds(server, "special")
    assert postgres.login(body["data"]["username"], body["data"]["password"]) == (True, None)
    r = server.request("PUT", "sys/leases/revoke-prefix/database/creds", token=ROOT)
    assert r.status_code == 204, r.text
    assert postgres.roles() == {}


@pytest.mark.parametrize("where", ["config", "role"])
def test_a_missing_password_policy_fails_the_request_and_leaves_nothing(servers, postgres, where):
    server = dev_server(servers)
    enable(server)
    r = write_config(server, url(postgres), **({"password_policy": "nope"} if where == "config" else {}))
    assert r.status_code == 204, r.text  # as in Vault, the name is not checked when written
    create_role(server, "readonly", **({"credential_config": {"password_policy": "nope"}} if where == "role" else {}))
    r = server.request("GET", "database/creds/readonly", token=ROOT)
    assert r.status_code == 400, r.text
    assert errors(r) == ['password policy "nope" does not exist']
    cli = server.bao("read", "database/creds/readonly", token=ROOT)
    assert cli.returncode == 2 and 'password policy "nope" does not exist' in cli.stderr, cli.stderr
    no_lease_and_no_user(server, postgres)

    put_policy(server, "nope", OTHER_POLICY)  # once it exists, the same role works
    body = creds(server)
    assert obeys_other(body["data"]["password"]), body["data"]["password"]
    assert postgres.login(body["data"]["username"], body["data"]["password"]) == (True, None)


def test_quotes_and_backslashes_from_a_policy_still_log_in(servers, postgres):
    server = dev_server(servers)
    enable(server)
    put_policy(server, "quotes", QUOTES_POLICY)
    sample = generated(server, "quotes")
    assert obeys_quotes(sample), sample
    r = write_config(server, url(postgres), password_policy="quotes")
    assert r.status_code == 204, r.text
    create_role(server, "readonly", statements=(READONLY_SQL, GRANT_SELECT))
    issued = []
    for _ in range(3):
        body = creds(server)
        username, password = body["data"]["username"], body["data"]["password"]
        assert obeys_quotes(password), password
        assert postgres.login(username, password) == (True, None)
        assert postgres.login(username, password.replace("'", "''"))[0] is False
        issued.append(body)
    r = server.request("PUT", "sys/leases/renew", token=ROOT, body={"lease_id": issued[0]["lease_id"]})
    assert r.status_code == 200, r.text
    # Root rotation takes its password from the config's policy too, and the engine must still
    # be able to log in with it (the URL template escapes it).
    r = server.request("PUT", "database/rotate-root/postgresql", token=ROOT)
    assert r.status_code == 204, r.text
    assert postgres.login("root", "rootpassword")[0] is False
    body = creds(server)
    assert postgres.login(body["data"]["username"], body["data"]["password"]) == (True, None)
    r = server.request("PUT", "sys/leases/revoke-prefix/database/creds/readonly", token=ROOT)
    assert r.status_code == 204, r.text
    assert postgres.roles() == {}


# --- username templates -----------------------------------------------------------------

APP_TEMPLATE = '{{ printf "app-%s-%s" (.RoleName) (random 8) | lowercase }}'
APP_USERNAME = re.compile(r"app-readonly-[a-z0-9]{8}")


def test_username_template(servers, postgres):
    server = dev_server(servers)
    enable(server)
    written = server.bao("write", "database/config/postgresql", f"plugin_name={PLUGIN}", "allowed_roles=readonly",
                         f"connection_url={url(postgres)}", "username=root", "password=rootpassword",
                         f"username_template={APP_TEMPLATE}", token=ROOT)
    assert written.returncode == 0, written.stderr
    details = server.request("GET", "database/config/postgresql", token=ROOT).json()["data"]["connection_details"]
    assert details["username_template"] == APP_TEMPLATE, details
    create_role(server, "readonly")
    issued = [creds(server) for _ in range(3)]
    names = [body["data"]["username"] for body in issued]
    assert all(APP_USERNAME.fullmatch(n) for n in names), names
    assert len(set(names)) == 3
    assert sorted(postgres.roles(prefix="app-")) == sorted(names)
    for body in issued:
        assert postgres.login(body["data"]["username"], body["data"]["password"]) == (True, None)
    r = server.request("PUT", "sys/leases/revoke-prefix/database/creds/readonly", token=ROOT)
    assert r.status_code == 204, r.text
    assert postgres.roles(prefix="app-") == {}

    # A template that cannot work is refused; the stored one is kept.
    r = write_config(server, url(postgres), username_template="{{ nope }}")
    assert r.status_code == 400, r.text
    assert errors(r) == ['invalid username template: unknown function "nope"']
    details = server.request("GET", "database/config/postgresql", token=ROOT).json()["data"]["connection_details"]
    assert details["username_template"] == APP_TEMPLATE, details
    r = write_config(server, url(postgres), name="fresh", username_template="{{ nope }}")
    assert r.status_code == 400 and errors(r)[0].startswith("invalid username template:"), r.text
    assert server.request("GET", "database/config/fresh", token=ROOT).status_code == 404
    cli = server.bao("write", "database/config/fresh", f"plugin_name={PLUGIN}", f"connection_url={url(postgres)}",
                     "username=root", "password=rootpassword", "username_template={{ nope }}", token=ROOT)
    assert cli.returncode == 2 and 'invalid username template: unknown function "nope"' in cli.stderr, cli.stderr
    assert server.request("LIST", "database/config", token=ROOT).json()["data"]["keys"] == ["postgresql"]
    assert APP_USERNAME.fullmatch(creds(server)["data"]["username"])


def test_a_username_that_renders_a_placeholder_never_leaks_the_password(servers, postgres):
    server = dev_server(servers)
    enable(server)
    r = write_config(server, url(postgres), username_template='u-{{ "{{" }}password}}-{{ random 8 }}')
    assert r.status_code == 204, r.text
    create_role(server, "readonly")
    r = server.request("GET", "database/creds/readonly", token=ROOT)
    if r.status_code == 200:  # either the name is used literally ...
        username, password = r.json()["data"]["username"], r.json()["data"]["password"]
        assert list(postgres.roles(prefix="u-")) == [username]
        assert not any(password in name for name in postgres.roles(prefix="u-"))
        assert postgres.login(username, password) == (True, None)
        revoked = server.request("PUT", "sys/leases/revoke", token=ROOT, body={"lease_id": r.json()["lease_id"]})
        assert revoked.status_code == 204, revoked.text
    else:  # ... or such a username is refused
        assert r.status_code == 400, r.text
    assert postgres.roles(prefix="u-") == {}, "no PostgreSQL user outlives its lease"
