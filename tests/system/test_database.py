"""The database secrets engine against a real PostgreSQL (a throwaway cluster per test), driven
by the `bao` CLI, hvac and raw HTTP: connection config (verification, password hiding), roles
(validated against the database before they are saved), dynamic credentials and their leases
(renew, revoke, expiry, irrevocable), root rotation, crash safety under SIGKILL (no user without
a lease) and the PostgreSQL dynamic-secrets tutorial (seed 004) as written."""

import json
import os
import random
import re
import subprocess
import threading
import time
from datetime import datetime, timezone

import hvac
import psycopg
import pytest

from conftest import BAO, free_port, init_and_unseal, local_config, wait_for

ROOT = "root"
PLUGIN = "postgresql-database-plugin"
# The tutorial's readonly.sql, byte for byte.
READONLY_SQL = "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"
GRANT_SELECT = 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";'
# The tutorial's apps policy.
APPS_POLICY = """# Get credentials from the database backend
path "database/creds/readonly" {
  capabilities = [ "read" ]
}
"""
LEASE_ID = re.compile(r"database/creds/readonly/[0-9A-Za-z]{24}")
ROOT_USERNAME = re.compile(r"v-root-readonly-[A-Za-z0-9]{20}-(\d{10})")
TOKEN_USERNAME = re.compile(r"v-token-readonly-[A-Za-z0-9]{20}-(\d{10})")
# hvac sends display_name="token": the token's display name is "token-token", truncated to 8.
HVAC_TOKEN_USERNAME = re.compile(r"v-token-to-readonly-[A-Za-z0-9]{20}-(\d{10})")
DROP_ONLY = 'DROP ROLE IF EXISTS "{{name}}";'
PASSWORD = re.compile(r"[A-Za-z0-9-]{20}")
VERIFY_ERROR = "error creating database object: error verifying connection:"


# --- helpers ----------------------------------------------------------------------------


def dev_server(servers, name="dev"):
    return servers(
        ["server", "-dev", f"-dev-root-token-id={ROOT}", "-dev-listen-address=127.0.0.1:{port}"],
        name=name,
    ).start()


def templated_url(pg, dbname="myapp"):
    return f"postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{pg.port}/{dbname}"


def errors(response):
    return response.json()["errors"]


def enable(server, path="database", token=ROOT):
    r = server.request("POST", f"sys/mounts/{path}", token=token, body={"type": "database"})
    assert r.status_code == 204, r.text


def configure(server, pg, allowed_roles="readonly", mount="database", name="postgresql", token=ROOT, **extra):
    body = {
        "plugin_name": PLUGIN,
        "allowed_roles": allowed_roles,
        "connection_url": templated_url(pg),
        "username": "root",
        "password": "rootpassword",
        **extra,
    }
    r = server.request("PUT", f"{mount}/config/{name}", token=token, body=body)
    assert r.status_code == 204, r.text


def create_role(server, name="readonly", statements=(READONLY_SQL, GRANT_SELECT), mount="database", token=ROOT,
                **fields):
    body = {"db_name": "postgresql", "creation_statements": list(statements), "default_ttl": "1h",
            "max_ttl": "24h", **fields}
    r = server.request("PUT", f"{mount}/roles/{name}", token=token, body=body)
    assert r.status_code == 204, r.text


def creds(server, role="readonly", token=ROOT, mount="database"):
    r = server.request("GET", f"{mount}/creds/{role}", token=token)
    assert r.status_code == 200, r.text
    return r.json()


def ready(servers, pg, name="dev", allowed_roles="readonly", roles=("readonly",), **role_fields):
    """A dev server with `database/` configured for `pg` and the given roles (SELECT on myapp)."""
    server = dev_server(servers, name)
    enable(server)
    configure(server, pg, allowed_roles=allowed_roles)
    for role in roles:
        create_role(server, role, **role_fields)
    return server


def lookup(server, lease_id, token=ROOT):
    return server.request("PUT", "sys/leases/lookup", token=token, body={"lease_id": lease_id})


def is_gone(server, lease_id, token=ROOT):
    r = lookup(server, lease_id, token)
    return r.status_code == 400 and r.json()["errors"] == ["invalid lease"]


def assert_details(details, url):
    """A config read's connection_details: the URL and user as written, never the password
    (the driver's defaults such as max_open_connections may be listed too, as Vault does)."""
    assert (details["connection_url"], details["username"]) == (url, "root"), details
    assert "password" not in details, details


def now():
    return datetime.now(timezone.utc)


def valid_until_offset(pg, username, since):
    """Seconds from `since` to the user's rolvaliduntil in PostgreSQL."""
    return (pg.roles()[username] - since).total_seconds()


def query_as(pg, user, password, sql):
    with pg.connect(user, password) as conn:
        return conn.execute(sql).fetchall()


def sql_error_as(pg, user, password, sql):
    with pg.connect(user, password) as conn:
        with pytest.raises(psycopg.Error) as failed:
            conn.execute(sql)
    return str(failed.value)


def bao_in(server, cwd, *args, token=None):
    """The bao CLI run from `cwd` (for `@file` arguments), with the server's HOME (token helper)."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(server.workdir), "VAULT_ADDR": server.addr}
    if token:
        env["VAULT_TOKEN"] = token
    return subprocess.run([str(BAO), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60)


def bao_json(server, *args, token=ROOT):
    result = server.bao(*args, token=token)
    assert result.returncode == 0, f"bao {' '.join(args)}: {result.stderr}"
    return json.loads(result.stdout)


# --- connection config ------------------------------------------------------------------


def test_config_write_read_list_and_delete(servers, postgres):
    server = dev_server(servers)
    enabled = server.bao("secrets", "enable", "database", token=ROOT)
    assert enabled.returncode == 0, enabled.stderr
    assert "Success! Enabled the database secrets engine at: database/" in enabled.stdout

    written = server.bao(
        "write", "database/config/postgresql", f"plugin_name={PLUGIN}", "allowed_roles=readonly",
        f"connection_url={templated_url(postgres)}", "username=root", "password=rootpassword", token=ROOT,
    )
    assert written.returncode == 0, written.stderr
    assert "Success! Data written to: database/config/postgresql" in written.stdout

    r = server.request("GET", "database/config/postgresql", token=ROOT)
    assert r.status_code == 200, r.text
    assert "rootpassword" not in r.text, "the password never appears in a config read"
    data = r.json()["data"]
    assert data["plugin_name"] == PLUGIN
    assert data["allowed_roles"] == ["readonly"]
    assert_details(data["connection_details"], templated_url(postgres))
    assert data["password_policy"] == ""
    assert data["root_credentials_rotate_statements"] == []
    assert r.json()["mount_type"] == "database"
    assert bao_json(server, "read", "-format=json", "database/config/postgresql")["data"] == data

    # verify_connection=false stores a config even though nothing listens on its port.
    r = server.request("PUT", "database/config/other", token=ROOT, body={
        "plugin_name": PLUGIN, "allowed_roles": ["a", "b"], "verify_connection": False,
        "connection_url": f"postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{free_port()}/myapp",
        "username": "root", "password": "rootpassword",
    })
    assert r.status_code == 204, r.text
    assert server.request("GET", "database/config/other", token=ROOT).json()["data"]["allowed_roles"] == ["a", "b"]

    r = server.request("LIST", "database/config", token=ROOT)
    assert r.status_code == 200 and r.json()["data"]["keys"] == ["other", "postgresql"]
    assert hvac.Client(url=server.addr, token=ROOT).secrets.database.list_connections()["data"]["keys"] == [
        "other", "postgresql"]
    listed = server.bao("list", "-format=json", "database/config", token=ROOT)
    assert listed.returncode == 0 and json.loads(listed.stdout) == ["other", "postgresql"]

    assert server.request("DELETE", "database/config/other", token=ROOT).status_code == 204
    assert server.request("GET", "database/config/other", token=ROOT).status_code == 404
    assert server.request("LIST", "database/config", token=ROOT).json()["data"]["keys"] == ["postgresql"]
    deleted = server.bao("delete", "database/config/postgresql", token=ROOT)
    assert deleted.returncode == 0, deleted.stderr
    assert server.request("GET", "database/config/postgresql", token=ROOT).status_code == 404
    assert server.request("LIST", "database/config", token=ROOT).status_code == 404


def test_config_update_keeps_the_fields_it_does_not_name(servers, postgres):
    server = dev_server(servers)
    enable(server)
    configure(server, postgres)
    r = server.request("PUT", "database/config/postgresql", token=ROOT, body={"allowed_roles": "readonly,reporting"})
    assert r.status_code == 204, r.text
    r = server.request("GET", "database/config/postgresql", token=ROOT)
    data = r.json()["data"]
    assert data["plugin_name"] == PLUGIN
    assert data["allowed_roles"] == ["readonly", "reporting"]
    assert_details(data["connection_details"], templated_url(postgres))
    assert "rootpassword" not in r.text
    # The kept password still works: a role can be written and used.
    create_role(server, "reporting")
    body = creds(server, "reporting")
    assert postgres.login(body["data"]["username"], body["data"]["password"]) == (True, None)


def test_password_in_the_url_warns_and_is_never_read_back(servers, postgres):
    server = dev_server(servers)
    enable(server)
    r = server.request("POST", "database/config/postgresql", token=ROOT, body={
        "plugin_name": PLUGIN, "allowed_roles": "readonly", "connection_url": postgres.url(),
    })
    assert r.status_code == 200, r.text
    warnings = r.json()["warnings"]
    assert len(warnings) == 1 and "Password found in connection_url" in warnings[0], warnings

    r = server.request("GET", "database/config/postgresql", token=ROOT)
    assert r.status_code == 200, r.text
    assert "rootpassword" not in r.text, r.text
    details = r.json()["data"]["connection_details"]
    assert "password" not in details
    assert details["connection_url"] == f"postgresql://root:*****@127.0.0.1:{postgres.port}/myapp"  # Vault's mask


@pytest.mark.parametrize("case", ["wrong port", "wrong password", "unknown database"])
def test_a_connection_that_does_not_work_is_refused_and_not_stored(servers, postgres, case):
    server = dev_server(servers)
    enable(server)
    url, password, expected = {
        "wrong port": (f"postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{free_port()}/myapp",
                       "rootpassword", "connection refused"),
        "wrong password": (templated_url(postgres), "nope", 'password authentication failed for user "root"'),
        "unknown database": (templated_url(postgres, "nope"), "rootpassword", 'database "nope" does not exist'),
    }[case]
    started = time.monotonic()
    r = server.request("PUT", "database/config/postgresql", token=ROOT, body={
        "plugin_name": PLUGIN, "allowed_roles": "readonly", "connection_url": url,
        "username": "root", "password": password,
    })
    assert time.monotonic() - started < 10
    assert r.status_code == 400, r.text
    [error] = errors(r)
    assert error.startswith(VERIFY_ERROR), error
    assert expected in (error.lower() if case == "wrong port" else error), error
    assert server.request("GET", "database/config/postgresql", token=ROOT).status_code == 404
    assert server.request("LIST", "database/config", token=ROOT).status_code == 404

    cli = server.bao("write", "database/config/postgresql", f"plugin_name={PLUGIN}", f"connection_url={url}",
                     "username=root", f"password={password}", token=ROOT)
    assert cli.returncode == 2 and "Code: 400" in cli.stderr and VERIFY_ERROR in cli.stderr


# --- roles ------------------------------------------------------------------------------


def test_role_write_read_list_and_delete(servers, postgres, tmp_path):
    server = dev_server(servers)
    enable(server)
    configure(server, postgres, allowed_roles="readonly,reporting")
    sql_file = tmp_path / "readonly.sql"
    sql_file.write_text(READONLY_SQL)
    written = server.bao("write", "database/roles/readonly", "db_name=postgresql",
                         f"creation_statements=@{sql_file}", "default_ttl=1h", "max_ttl=24h", token=ROOT)
    assert written.returncode == 0, written.stderr
    assert "Success! Data written to: database/roles/readonly" in written.stdout
    assert postgres.roles() == {}, "checking the statements left no role behind"

    r = server.request("GET", "database/roles/readonly", token=ROOT)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["db_name"] == "postgresql"
    assert data["creation_statements"] == [READONLY_SQL]
    assert (data["revocation_statements"], data["rollback_statements"], data["renew_statements"]) == ([], [], [])
    assert (data["default_ttl"], data["max_ttl"]) == (3600, 86400)

    client = hvac.Client(url=server.addr, token=ROOT)
    client.secrets.database.create_role(
        "reporting", "postgresql", [READONLY_SQL], default_ttl=600, max_ttl="2h",
        revocation_statements=[DROP_ONLY],
        renew_statements=["ALTER ROLE \"{{name}}\" VALID UNTIL '{{expiration}}';"],
    )
    data = client.secrets.database.read_role("reporting")["data"]
    assert data["creation_statements"] == [READONLY_SQL]
    assert data["revocation_statements"] == [DROP_ONLY]
    assert data["renew_statements"] == ["ALTER ROLE \"{{name}}\" VALID UNTIL '{{expiration}}';"]
    assert data["rollback_statements"] == []
    assert (data["default_ttl"], data["max_ttl"]) == (600, 7200)
    assert postgres.roles() == {}

    r = server.request("LIST", "database/roles", token=ROOT)
    assert r.status_code == 200 and r.json()["data"]["keys"] == ["readonly", "reporting"]
    assert client.secrets.database.list_roles()["data"]["keys"] == ["readonly", "reporting"]
    assert server.request("DELETE", "database/roles/reporting", token=ROOT).status_code == 204
    assert server.request("GET", "database/roles/reporting", token=ROOT).status_code == 404
    listed = server.bao("list", "-format=json", "database/roles", token=ROOT)
    assert listed.returncode == 0 and json.loads(listed.stdout) == ["readonly"]


def test_a_dry_run_shows_what_saving_would_run_and_saves_nothing(servers, postgres):
    """Strongroom: `dry_run=true` on a role write runs the trial and answers with it."""
    server = dev_server(servers)
    enable(server)
    configure(server, postgres)
    body = {"db_name": "postgresql", "creation_statements": [READONLY_SQL, GRANT_SELECT], "dry_run": True}
    r = server.request("PUT", "database/roles/readonly", token=ROOT, body=body)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    user = data["username"]
    assert re.fullmatch(r"v-trial-readonly-[A-Za-z0-9]{20}", user), user
    creation = data["creation_statements"]
    assert creation.startswith(f"CREATE ROLE \"{user}\" WITH LOGIN PASSWORD '[password]' VALID UNTIL '")
    assert creation.endswith(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{user}"')
    assert "{{" not in creation
    # No revocation statements given: the default, which hands the user's objects over first.
    assert data["revocation_statements"].startswith(f'REASSIGN OWNED BY "{user}" TO CURRENT_USER;')
    assert data["revocation_statements"].endswith(f'DROP ROLE "{user}"')
    assert data["dry_run"] is True
    # Nothing saved, nothing left in PostgreSQL.
    assert server.request("GET", "database/roles/readonly", token=ROOT).status_code == 404
    assert postgres.roles() == {}
    # A dry run of a broken role is the same 400 a save gets.
    body["creation_statements"] = ['CREAT ROLE "{{name}}";']
    r = server.request("PUT", "database/roles/readonly", token=ROOT, body=body)
    assert r.status_code == 400 and 'syntax error at or near "CREAT"' in errors(r)[0], r.text
    r = server.request("PUT", "database/roles/readonly", token=ROOT, body={**body, "dry_run": "maybe"})
    assert r.status_code == 400 and "dry_run" in errors(r)[0], r.text


def test_a_role_whose_statements_fail_is_refused_and_leaves_nothing(servers, postgres):
    server = dev_server(servers)
    enable(server)
    configure(server, postgres)

    def refused(body):
        r = server.request("PUT", "database/roles/readonly", token=ROOT, body={"db_name": "postgresql", **body})
        assert r.status_code == 400, (body, r.text)
        assert server.request("GET", "database/roles/readonly", token=ROOT).status_code == 404
        assert server.request("LIST", "database/roles", token=ROOT).status_code == 404
        assert postgres.roles() == {}, "the statements ran in a transaction that was rolled back"
        return errors(r)[0]

    error = refused({"creation_statements": ["CREAT ROLE \"{{name}}\";"]})
    assert 'syntax error at or near "CREAT"' in error, error
    # The first statement works, the second fails: the CREATE ROLE must be rolled back too.
    error = refused({"creation_statements": [READONLY_SQL, 'GRANT SELECT ON nosuchtable TO "{{name}}";']})
    assert 'relation "nosuchtable" does not exist' in error, error
    error = refused({"creation_statements": [READONLY_SQL], "revocation_statements": ['DRP ROLE "{{name}}";']})
    assert 'syntax error at or near "DRP"' in error, error
    # Valid SQL that could never revoke: a bare DROP ROLE fails on a user holding a grant.
    error = refused({"creation_statements": [READONLY_SQL, GRANT_SELECT], "revocation_statements": [DROP_ONLY]})
    assert "cannot be dropped because some objects depend on it" in error, error
    refused({"creation_statements": []})
    refused({"creation_statements": ""})
    refused({"creation_statements": [READONLY_SQL], "db_name": "nosuch"})

    cli = server.bao("write", "database/roles/readonly", "db_name=postgresql",
                     'creation_statements=CREAT ROLE "{{name}}";', token=ROOT)
    assert cli.returncode == 2 and "Code: 400" in cli.stderr and 'syntax error at or near "CREAT"' in cli.stderr
    assert server.request("GET", "database/roles/readonly", token=ROOT).status_code == 404


# --- credentials ------------------------------------------------------------------------


def test_credentials_for_the_root_token(servers, postgres):
    server = ready(servers, postgres)
    before = now()
    body = bao_json(server, "read", "-format=json", "database/creds/readonly")
    assert LEASE_ID.fullmatch(body["lease_id"]), body["lease_id"]
    assert (body["lease_duration"], body["renewable"]) == (3600, True)
    assert set(body["data"]) == {"username", "password"}
    username, password = body["data"]["username"], body["data"]["password"]
    match = ROOT_USERNAME.fullmatch(username)
    assert match, username
    assert len(username) <= 63
    assert abs(int(match.group(1)) - before.timestamp()) <= 5
    assert PASSWORD.fullmatch(password), password

    assert list(postgres.roles()) == [username]
    assert abs(valid_until_offset(postgres, username, before) - (3600 + 5)) <= 3
    assert postgres.login(username, password) == (True, None)
    assert query_as(postgres, username, password, "SELECT count(*) FROM products") == [(2,)]
    assert "permission denied for schema public" in sql_error_as(postgres, username, password,
                                                                 "CREATE TABLE x (i int)")
    assert postgres.login(username, "A1a-wrongwrongwrong0")[0] is False

    second = creds(server)
    assert second["lease_id"] != body["lease_id"] and LEASE_ID.fullmatch(second["lease_id"])
    assert second["data"]["username"] != username and second["data"]["password"] != password
    assert sorted(postgres.roles()) == sorted([username, second["data"]["username"]])

    data = lookup(server, body["lease_id"]).json()["data"]
    assert (data["mount"], data["role"], data["renewable"]) == ("database/", "readonly", True)
    assert abs(data["ttl"] - 3600) <= 3
    counts = server.request("GET", "sys/leases/counts", token=ROOT).json()["data"]
    assert counts["mounts"] == {"database/": {"total": 2, "roles": {"readonly": 2}}}


def test_credential_errors(servers, postgres):
    server = ready(servers, postgres)
    create_role(server, "other")  # a role the connection does not allow

    r = server.request("GET", "database/creds/nope", token=ROOT)
    assert r.status_code == 400 and errors(r) == ["unknown role: nope"]
    r = server.request("GET", "database/creds/other", token=ROOT)
    assert r.status_code == 400, r.text
    assert "is not an allowed role" in errors(r)[0], errors(r)
    cli = server.bao("read", "database/creds/other", token=ROOT)
    assert cli.returncode == 2 and "is not an allowed role" in cli.stderr
    assert postgres.roles() == {}
    assert server.request("LIST", "sys/leases/lookup/database/creds/", token=ROOT).status_code == 404

    r = server.request("PUT", "sys/policies/acl/apps", token=ROOT, body={"policy": APPS_POLICY})
    assert r.status_code == 204
    apps = server.request("POST", "auth/token/create", token=ROOT,
                          body={"policies": ["apps"]}).json()["auth"]["client_token"]
    for path in ("database/config/postgresql", "database/roles/readonly"):
        r = server.request("GET", path, token=apps)
        assert r.status_code == 403 and errors(r) == ["permission denied"]
    assert server.request("GET", "database/creds/other", token=apps).status_code == 403
    body = creds(server, token=apps)
    assert TOKEN_USERNAME.fullmatch(body["data"]["username"]), body["data"]["username"]


def test_credentials_fail_fast_while_postgres_is_down(servers, postgres):
    server = ready(servers, postgres)
    first = creds(server)  # the engine has a connection open when PostgreSQL goes away
    postgres.stop()

    started = time.monotonic()
    r = server.request("GET", "database/creds/readonly", token=ROOT)
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"took {elapsed:.1f}s"
    assert r.status_code == 502, r.text
    assert "connect" in errors(r)[0].lower(), errors(r)
    r = server.request("LIST", "sys/leases/lookup/database/creds/readonly/", token=ROOT)
    assert r.status_code == 200 and r.json()["data"]["keys"] == [first["lease_id"].rsplit("/", 1)[1]]

    postgres.start()
    assert list(postgres.roles()) == [first["data"]["username"]], "the failed request created no user"
    again = creds(server)  # and the engine reconnects by itself
    assert postgres.login(again["data"]["username"], again["data"]["password"]) == (True, None)


def test_a_failed_request_leaves_no_lease_and_no_user(servers, postgres):
    server = ready(servers, postgres)
    postgres.stop()
    r = server.request("GET", "database/creds/readonly", token=ROOT)
    assert r.status_code == 502, r.text
    listed = server.bao("list", "sys/leases/lookup/database/creds/readonly/", token=ROOT)
    assert listed.returncode == 2 and "No value found at sys/leases/lookup/database/creds/readonly" in listed.stderr
    postgres.start()
    assert postgres.roles() == {}


# --- lease lifecycle --------------------------------------------------------------------


def test_renew_moves_valid_until_and_is_capped_at_max_ttl(servers, postgres):
    server = ready(servers, postgres)
    before = now()
    body = creds(server)
    lease_id, username = body["lease_id"], body["data"]["username"]

    renewed = bao_json(server, "lease", "renew", "-format=json", "-increment=2h", lease_id)
    assert (renewed["lease_id"], renewed["lease_duration"], renewed["renewable"]) == (lease_id, 7200, True)
    assert abs(valid_until_offset(postgres, username, now()) - (7200 + 5)) <= 3

    # The tutorial's renew, without an increment: the role's default TTL again.
    renewed = bao_json(server, "lease", "renew", "-format=json", lease_id)
    assert renewed["lease_duration"] == 3600
    assert abs(valid_until_offset(postgres, username, now()) - (3600 + 5)) <= 3

    r = server.request("PUT", "sys/leases/renew", token=ROOT, body={"lease_id": lease_id, "increment": "48h"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert 86400 - 5 <= body["lease_duration"] <= 86400, body
    assert len(body["warnings"]) == 1 and "exceeded the effective max_ttl" in body["warnings"][0], body
    assert abs(valid_until_offset(postgres, username, before) - (86400 + 5)) <= 3
    assert abs(lookup(server, lease_id).json()["data"]["ttl"] - body["lease_duration"]) <= 2


def test_custom_renew_and_revocation_statements_are_used(servers, postgres):
    server = ready(servers, postgres, allowed_roles="custom,dropper", roles=())
    create_role(server, "custom",
                renew_statements=["ALTER ROLE \"{{name}}\" VALID UNTIL '2100-01-01 00:00:00+00';"],
                revocation_statements=['ALTER ROLE "{{name}}" NOLOGIN;'])
    create_role(server, "dropper", statements=(READONLY_SQL,), revocation_statements=[DROP_ONLY])

    body = creds(server, "custom")
    username, password = body["data"]["username"], body["data"]["password"]
    r = server.request("PUT", "sys/leases/renew", token=ROOT, body={"lease_id": body["lease_id"], "increment": 600})
    assert r.status_code == 200 and r.json()["lease_duration"] == 600, r.text
    assert postgres.roles()[username] == datetime(2100, 1, 1, tzinfo=timezone.utc)

    r = server.request("PUT", "sys/leases/revoke", token=ROOT, body={"lease_id": body["lease_id"]})
    assert r.status_code == 204, r.text
    assert is_gone(server, body["lease_id"])
    assert postgres.sql("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (username,)) == [(False,)]
    ok, error = postgres.login(username, password)
    assert not ok and "not permitted to log in" in error, error

    body = creds(server, "dropper")
    r = server.request("PUT", "sys/leases/revoke", token=ROOT, body={"lease_id": body["lease_id"]})
    assert r.status_code == 204, r.text
    assert body["data"]["username"] not in postgres.roles()


def test_revoke_one_by_one_and_by_prefix(servers, postgres):
    server = ready(servers, postgres)
    issued = [creds(server) for _ in range(4)]
    users = [b["data"]["username"] for b in issued]
    assert sorted(postgres.roles()) == sorted(users)

    cli = server.bao("lease", "revoke", "-sync", issued[0]["lease_id"], token=ROOT)
    assert cli.returncode == 0 and f"Success! Revoked lease: {issued[0]['lease_id']}" in cli.stdout
    assert users[0] not in postgres.roles() and is_gone(server, issued[0]["lease_id"])
    assert postgres.login(users[0], issued[0]["data"]["password"])[0] is False

    r = server.request("PUT", "sys/leases/revoke", token=ROOT, body={"lease_id": issued[1]["lease_id"]})
    assert r.status_code == 204 and r.text == ""
    assert users[1] not in postgres.roles() and is_gone(server, issued[1]["lease_id"])

    cli = server.bao("lease", "revoke", issued[2]["lease_id"], token=ROOT)
    assert cli.returncode == 0 and "All revocation operations queued successfully!" in cli.stdout
    assert wait_for(lambda: users[2] not in postgres.roles(), timeout=5)
    assert wait_for(lambda: is_gone(server, issued[2]["lease_id"]), timeout=5)
    assert sorted(postgres.roles()) == [users[3]]

    more = [creds(server) for _ in range(3)]
    r = server.request("PUT", "sys/leases/revoke-prefix/database/creds/readonly", token=ROOT)
    assert r.status_code == 204, r.text
    assert postgres.roles() == {}
    assert all(is_gone(server, b["lease_id"]) for b in [issued[3], *more])
    assert server.request("LIST", "sys/leases/lookup/database/creds/readonly/", token=ROOT).status_code == 404

    more = [creds(server) for _ in range(2)]
    cli = server.bao("lease", "revoke", "-prefix", "database/creds/readonly", token=ROOT)
    assert cli.returncode == 0 and "All revocation operations queued successfully!" in cli.stdout
    assert wait_for(lambda: postgres.roles() == {}, timeout=5)
    assert wait_for(lambda: all(is_gone(server, b["lease_id"]) for b in more), timeout=5)


def test_revoke_is_idempotent_and_outlives_the_role(servers, postgres):
    server = ready(servers, postgres)
    # A DBA dropped the user by hand: revoking its lease still succeeds (Vault checks first).
    body = creds(server)
    postgres.sql(f'DROP OWNED BY "{body["data"]["username"]}"')
    postgres.sql(f'DROP ROLE "{body["data"]["username"]}"')
    r = server.request("PUT", "sys/leases/revoke", token=ROOT, body={"lease_id": body["lease_id"]})
    assert r.status_code == 204, r.text
    assert is_gone(server, body["lease_id"])

    # The role is deleted while a lease of it is out: the lease still revokes its user.
    body = creds(server)
    assert server.request("DELETE", "database/roles/readonly", token=ROOT).status_code == 204
    r = server.request("PUT", "sys/leases/revoke", token=ROOT, body={"lease_id": body["lease_id"]})
    assert r.status_code == 204, r.text
    assert postgres.roles() == {}
    assert is_gone(server, body["lease_id"])


def test_expired_credentials_are_dropped(servers, postgres):
    server = ready(servers, postgres, roles=())
    create_role(server, "readonly", default_ttl="2s", max_ttl="1h")
    before = now()
    body = creds(server)
    assert body["lease_duration"] == 2
    username = body["data"]["username"]
    assert abs(valid_until_offset(postgres, username, before) - (2 + 5)) <= 3

    assert wait_for(lambda: username not in postgres.roles(), timeout=10), "the expired user is dropped"
    assert wait_for(lambda: is_gone(server, body["lease_id"]), timeout=5)
    assert server.request("GET", "sys/leases/counts", token=ROOT).json()["data"]["total"] == 0


def test_default_revocation_keeps_objects_the_user_created(servers, postgres):
    server = ready(servers, postgres, roles=())
    create_role(server, "readonly", statements=(READONLY_SQL, 'GRANT CREATE ON SCHEMA public TO "{{name}}";'))
    body = creds(server)
    username, password = body["data"]["username"], body["data"]["password"]
    with postgres.connect(username, password) as conn:
        conn.execute("CREATE TABLE made_by_user (id serial, note text)")
        conn.execute("INSERT INTO made_by_user (note) VALUES ('kept')")
    assert postgres.sql("SELECT tableowner FROM pg_tables WHERE tablename = 'made_by_user'") == [(username,)]

    cli = server.bao("lease", "revoke", "-sync", body["lease_id"], token=ROOT)
    assert cli.returncode == 0, cli.stderr
    assert username not in postgres.roles()
    assert is_gone(server, body["lease_id"])
    assert postgres.sql("SELECT tableowner FROM pg_tables WHERE tablename = 'made_by_user'") == [("root",)]
    assert postgres.sql("SELECT note FROM made_by_user") == [("kept",)]


def test_terminate_sessions_ends_open_sessions_on_revoke(servers, postgres):
    server = ready(servers, postgres, roles=())
    create_role(server, "readonly", terminate_sessions=True)
    body = creds(server)
    username, password = body["data"]["username"], body["data"]["password"]
    conn = postgres.connect(username, password)
    try:
        assert conn.execute("SELECT count(*) FROM products").fetchall() == [(2,)]
        r = server.request("PUT", "sys/leases/revoke", token=ROOT, body={"lease_id": body["lease_id"]})
        assert r.status_code == 204, r.text
        assert username not in postgres.roles()
        assert wait_for(lambda: postgres.sql(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = %s", (username,)) == [(0,)], timeout=5)
        with pytest.raises(psycopg.OperationalError):
            conn.execute("SELECT 1")
    finally:
        conn.close()


def irrevocable_config(workdir, port):
    path = local_config(workdir, port)
    path.write_text(path.read_text() + 'lease_revocation_attempts = 2\nlease_revocation_retry_base = "200ms"\n')
    return path


def test_a_lease_whose_database_is_gone_becomes_irrevocable_then_force_revoked(servers, postgres):
    server = servers(config=irrevocable_config).start()
    _, root = init_and_unseal(server)
    enable(server, token=root)
    configure(server, postgres, token=root)
    create_role(server, "readonly", token=root, default_ttl="2s", max_ttl="1h")
    body = creds(server, token=root)
    lease_id, username = body["lease_id"], body["data"]["username"]
    postgres.stop()

    def irrevocable():
        r = server.request("GET", "sys/leases?type=irrevocable", token=root)
        assert r.status_code == 200, r.text
        return r.json()["data"] if r.json()["data"]["lease_count"] else None

    listed = wait_for(irrevocable, timeout=15)
    assert listed, "after 2 failed attempts the lease is irrevocable"
    assert listed["lease_count"] == 1 and len(listed["leases"]) == 1
    assert listed["leases"][0]["lease_id"] == lease_id
    error = listed["leases"][0]["error"]
    assert error.startswith("out of retries: ") and "connect" in error.lower(), error
    found = server.request("GET", "sys/leases/search?irrevocable=true", token=root).json()["data"]
    assert found["total"] == 1 and found["leases"][0]["lease_id"] == lease_id
    assert found["leases"][0]["revoke_error"] == error
    assert server.request("GET", "sys/leases/count?type=irrevocable", token=root).json()["data"] == {"lease_count": 1}
    r = server.request("PUT", "sys/leases/renew", token=root, body={"lease_id": lease_id})
    assert r.status_code == 400 and errors(r) == ["lease is expired and has failed previous revocation attempts"]

    postgres.start()
    assert username in postgres.roles(), "nothing could drop it while PostgreSQL was down"
    r = server.request("PUT", "sys/leases/revoke-force/database/creds/readonly", token=root)
    assert r.status_code == 204, r.text
    assert is_gone(server, lease_id, root)
    assert server.request("GET", "sys/leases/count?type=irrevocable", token=root).json()["data"] == {"lease_count": 0}


# --- root credentials -------------------------------------------------------------------


def test_rotate_root_and_reset(servers, postgres):
    server = ready(servers, postgres)
    rotated = server.bao("write", "-f", "database/rotate-root/postgresql", token=ROOT)
    assert rotated.returncode == 0, rotated.stderr
    assert "Success! Data written to: database/rotate-root/postgresql" in rotated.stdout
    ok, error = postgres.login("root", "rootpassword")
    assert not ok and 'password authentication failed for user "root"' in error, error

    body = creds(server)  # Strongroom connects with the new password
    assert postgres.login(body["data"]["username"], body["data"]["password"]) == (True, None)
    r = server.request("GET", "database/config/postgresql", token=ROOT)
    assert r.status_code == 200 and "rootpassword" not in r.text
    assert_details(r.json()["data"]["connection_details"], templated_url(postgres))

    r = server.request("PUT", "database/rotate-root/postgresql", token=ROOT)
    assert r.status_code == 204, r.text
    r = server.request("PUT", "database/reset/postgresql", token=ROOT)
    assert r.status_code == 204, r.text
    body = creds(server)
    assert postgres.login(body["data"]["username"], body["data"]["password"]) == (True, None)
    r = server.request("PUT", "sys/leases/revoke-prefix/database/creds/readonly", token=ROOT)
    assert r.status_code == 204, r.text
    assert postgres.roles() == {}


# --- mounts -----------------------------------------------------------------------------


def test_another_mount_path_and_disable_revokes_its_users(servers, postgres):
    server = dev_server(servers)
    enabled = server.bao("secrets", "enable", "-path=db2", "database", token=ROOT)
    assert enabled.returncode == 0, enabled.stderr
    configure(server, postgres, mount="db2")
    create_role(server, mount="db2")
    body = creds(server, mount="db2")
    assert re.fullmatch(r"db2/creds/readonly/[0-9A-Za-z]{24}", body["lease_id"]), body["lease_id"]
    r = server.request("GET", "database/creds/readonly", token=ROOT)
    assert r.status_code == 404, r.text
    assert list(postgres.roles()) == [body["data"]["username"]]

    disabled = server.bao("secrets", "disable", "db2", token=ROOT)
    assert disabled.returncode == 0, disabled.stderr
    assert wait_for(lambda: postgres.roles() == {}, timeout=5), "disabling the mount revokes its leases"
    assert is_gone(server, body["lease_id"])


# --- crash safety -----------------------------------------------------------------------


def test_sigkill_during_issuing_leaves_no_user_without_a_lease(servers, postgres):
    server = servers().start()
    keys, root = init_and_unseal(server)
    enable(server, token=root)
    configure(server, postgres, token=root)
    create_role(server, "readonly", token=root)

    acknowledged, answered_badly, cut = [], [], []
    lock = threading.Lock()
    rng = random.Random()

    def worker(go):
        go.wait()
        for _ in range(4):  # bounded: the kill normally comes first
            try:
                r = server.request("GET", "database/creds/readonly", token=root)
            except Exception:
                with lock:
                    cut.append(1)  # the server died mid-request: never acknowledged
                return
            with lock:
                if r.status_code == 200:
                    acknowledged.append(r.json()["lease_id"])
                else:
                    answered_badly.append((r.status_code, r.text))

    started = time.monotonic()
    for _ in range(8):
        go = threading.Event()
        threads = [threading.Thread(target=worker, args=(go,)) for _ in range(16)]
        for t in threads:
            t.start()
        go.set()
        time.sleep(rng.uniform(0.05, 0.4))
        server.kill()
        for t in threads:
            t.join(timeout=30)
        server.start()
        for key in keys[:3]:
            assert server.request("PUT", "sys/unseal", body={"key": key}).status_code == 200
    assert time.monotonic() - started < 60
    assert not answered_badly, answered_badly[:3]
    assert acknowledged, "some requests must have been answered before the kills"
    assert cut, "some requests must have been in flight at a kill"

    lost = [lease for lease in acknowledged if lookup(server, lease, root).status_code != 200]
    assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged leases lost: {lost[:3]}"
    r = server.request("PUT", "sys/leases/revoke-prefix/database/creds/readonly", token=root)
    assert r.status_code == 204, r.text
    left = wait_for(lambda: postgres.roles() == {}, timeout=15)
    assert left, f"users without a lease: {sorted(postgres.roles())[:5]} ({len(postgres.roles())})"


# --- the tutorial (seed 004) ------------------------------------------------------------


def test_tutorial_with_the_bao_cli(servers, postgres, tmp_path):
    server = servers().start()
    _, root = init_and_unseal(server)
    (tmp_path / "readonly.sql").write_text(READONLY_SQL)
    (tmp_path / "apps-policy.hcl").write_text(APPS_POLICY)

    # Step 1: mount the database secret backend.
    step = bao_in(server, tmp_path, "secrets", "enable", "database", token=root)
    assert step.returncode == 0 and "Success! Enabled the database secrets engine at: database/" in step.stdout
    mounts = server.request("GET", "sys/mounts", token=root).json()
    assert mounts["database/"]["type"] == "database" and mounts["data"]["database/"]["type"] == "database"

    # Step 2: configure PostgreSQL (the tutorial's URL, our host and port).
    step = bao_in(server, tmp_path, "write", "database/config/postgresql", f"plugin_name={PLUGIN}",
                  "allowed_roles=readonly", f"connection_url={postgres.url()}", token=root)
    assert step.returncode == 0, step.stderr
    assert "Password found in connection_url" in step.stdout + step.stderr

    # Step 3: the readonly role.
    step = bao_in(server, tmp_path, "write", "database/roles/readonly", "db_name=postgresql",
                  "creation_statements=@readonly.sql", "default_ttl=1h", "max_ttl=24h", token=root)
    assert step.returncode == 0 and "Success! Data written to: database/roles/readonly" in step.stdout

    # Step 4: the apps policy, an apps token, log in with it, read credentials.
    step = bao_in(server, tmp_path, "policy", "write", "apps", "apps-policy.hcl", token=root)
    assert step.returncode == 0 and "Success! Uploaded policy: apps" in step.stdout
    step = bao_in(server, tmp_path, "token", "create", "-policy=apps", "-format=json", token=root)
    assert step.returncode == 0, step.stderr
    auth = json.loads(step.stdout)["auth"]
    assert auth["policies"] == ["apps", "default"] and auth["lease_duration"] == 768 * 3600
    step = bao_in(server, tmp_path, "login", auth["client_token"])
    assert step.returncode == 0 and "Success! You are now authenticated." in step.stdout, step.stderr

    step = bao_in(server, tmp_path, "read", "database/creds/readonly")  # the token from `bao login`
    assert step.returncode == 0, step.stderr
    table = dict(line.strip().split(None, 1) for line in step.stdout.splitlines()[2:] if line.strip())
    assert LEASE_ID.fullmatch(table["lease_id"]) and table["lease_duration"] == "1h"
    assert table["lease_renewable"] == "true"
    assert TOKEN_USERNAME.fullmatch(table["username"]) and PASSWORD.fullmatch(table["password"]), table
    assert postgres.login(table["username"], table["password"]) == (True, None)

    # Validation (1): another read, other credentials.
    before = now()
    step = bao_in(server, tmp_path, "read", "-format=json", "database/creds/readonly")
    assert step.returncode == 0, step.stderr
    body = json.loads(step.stdout)
    lease_id, username = body["lease_id"], body["data"]["username"]
    assert TOKEN_USERNAME.fullmatch(username) and username != table["username"]
    # (2) \du shows the user with its expiry.
    du = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres", "-d", "myapp",
                         "-c", r"\du"], env={**os.environ, "PGPASSWORD": postgres.admin_password},
                        capture_output=True, text=True, timeout=30)
    assert du.returncode == 0, du.stderr
    line = next(line for line in du.stdout.splitlines() if username in line)
    assert "Password valid until" in line, line
    assert abs(valid_until_offset(postgres, username, before) - (3600 + 5)) <= 3
    # (3) renew.
    step = bao_in(server, tmp_path, "lease", "renew", "-format=json", lease_id, token=root)
    assert step.returncode == 0 and json.loads(step.stdout)["lease_duration"] == 3600, step.stderr
    # (4) revoke, then the rest by prefix.
    step = bao_in(server, tmp_path, "lease", "revoke", lease_id, token=root)
    assert step.returncode == 0 and "All revocation operations queued successfully!" in step.stdout
    assert wait_for(lambda: username not in postgres.roles(), timeout=5)
    step = bao_in(server, tmp_path, "lease", "revoke", "-prefix=true", "database/creds/readonly", token=root)
    assert step.returncode == 0, step.stderr
    assert wait_for(lambda: postgres.roles() == {}, timeout=5), postgres.roles()
    r = server.request("GET", "database/config/postgresql", token=root)
    assert r.status_code == 200 and "rootpassword" not in r.text


def test_tutorial_with_hvac(servers, postgres):
    server = servers().start()
    _, root = init_and_unseal(server)
    admin = hvac.Client(url=server.addr, token=root)
    admin.sys.enable_secrets_engine("database")  # POST sys/mounts/database {"type": "database"}
    assert admin.sys.list_mounted_secrets_engines()["data"]["database/"]["type"] == "database"

    admin.secrets.database.configure(
        name="postgresql", plugin_name=PLUGIN, allowed_roles="readonly",
        connection_url=templated_url(postgres), username="root", password="rootpassword",
    )
    config = admin.secrets.database.read_connection("postgresql")["data"]
    assert_details(config["connection_details"], templated_url(postgres))
    admin.secrets.database.create_role(
        name="readonly", db_name="postgresql", creation_statements=[READONLY_SQL, GRANT_SELECT],
        default_ttl="1h", max_ttl="24h",
    )
    assert admin.secrets.database.read_role("readonly")["data"]["creation_statements"] == [READONLY_SQL, GRANT_SELECT]
    admin.sys.create_or_update_acl_policy("apps", APPS_POLICY)
    token = admin.auth.token.create(policies=["apps"])["auth"]["client_token"]

    apps = hvac.Client(url=server.addr, token=token)
    issued = apps.secrets.database.generate_credentials("readonly")
    assert LEASE_ID.fullmatch(issued["lease_id"]) and issued["lease_duration"] == 3600 and issued["renewable"]
    username, password = issued["data"]["username"], issued["data"]["password"]
    assert HVAC_TOKEN_USERNAME.fullmatch(username) and PASSWORD.fullmatch(password), username
    assert query_as(postgres, username, password, "SELECT count(*) FROM products") == [(2,)]
    with pytest.raises(hvac.exceptions.Forbidden):
        apps.secrets.database.read_connection("postgresql")

    assert admin.sys.renew_lease(issued["lease_id"], increment=600)["lease_duration"] == 600
    assert admin.sys.revoke_lease(issued["lease_id"]).status_code == 204
    assert postgres.roles() == {}
    assert admin.secrets.database.reset_connection("postgresql").status_code == 204
    assert admin.secrets.database.rotate_root_credentials("postgresql").status_code == 204
    assert postgres.login("root", "rootpassword")[0] is False
    again = apps.secrets.database.generate_credentials("readonly")
    assert postgres.login(again["data"]["username"], again["data"]["password"]) == (True, None)
