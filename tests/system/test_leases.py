"""The lease manager, driven by the `bao` CLI, hvac and raw HTTP: leased kv reads, lookup,
renew (increment and max_ttl caps), revoke (sync/async, prefix, force), listing, expiry,
mount tune and disable, the dashboard's counts and search, and leases across a restart."""

import json
import re
import time
from datetime import datetime, timedelta

import hvac
import pytest

from conftest import init_and_unseal, wait_for

ROOT = "root"
LEASE_ID = re.compile(r"secret/app/db/[0-9A-Za-z]{24}")
LOOKUP_KEYS = {"id", "issue_time", "expire_time", "last_renewal", "renewable", "ttl", "mount", "role"}
SEARCH_KEYS = {"lease_id", "mount", "role", "expire_time", "ttl", "irrevocable", "revoke_error"}
MOUNT_DEFAULT_TTL = 32 * 24 * 3600  # 768h, the system default


def dev_server(servers, name="dev"):
    return servers(
        ["server", "-dev", f"-dev-root-token-id={ROOT}", "-dev-leased-kv", "-dev-listen-address=127.0.0.1:{port}"],
        name=name,
    ).start()


def put(server, path, token=ROOT, **data):
    r = server.request("PUT", path, token=token, body=data)
    assert r.status_code == 204, r.text


def read_lease(server, path, token=ROOT):
    r = server.request("GET", path, token=token)
    assert r.status_code == 200, r.text
    return r.json()["lease_id"]


def lookup(server, lease_id, token=ROOT):
    return server.request("PUT", "sys/leases/lookup", token=token, body={"lease_id": lease_id})


def is_gone(server, lease_id, token=ROOT):
    r = lookup(server, lease_id, token)
    return r.status_code == 400 and r.json()["errors"] == ["invalid lease"]


def errors(response):
    return response.json()["errors"]


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def client(server, token=ROOT):
    return hvac.Client(url=server.addr, token=token)


def test_leased_kv_read_returns_a_renewable_lease(servers):
    server = dev_server(servers)
    put_cli = server.bao("kv", "put", "secret/app/db", "password=s3cr3t", "ttl=30s", token=ROOT)
    assert put_cli.returncode == 0, put_cli.stderr

    first = json.loads(server.bao("read", "-format=json", "secret/app/db", token=ROOT, check=True).stdout)
    assert LEASE_ID.fullmatch(first["lease_id"]), first["lease_id"]
    assert (first["lease_duration"], first["renewable"]) == (30, True)
    assert first["data"] == {"password": "s3cr3t", "ttl": "30s"}

    second = server.request("GET", "secret/app/db", token=ROOT).json()
    assert LEASE_ID.fullmatch(second["lease_id"]) and second["lease_id"] != first["lease_id"]
    assert second["lease_duration"] == 30 and second["mount_type"] == "kv"

    # Without a ttl field the mount's default applies.
    put(server, "secret/app/plain", v="1")
    plain = client(server).secrets.kv.v1.read_secret("app/plain", mount_point="secret")
    assert plain["lease_id"].startswith("secret/app/plain/") and len(plain["lease_id"]) == len("secret/app/plain/") + 24
    assert (plain["lease_duration"], plain["renewable"]) == (MOUNT_DEFAULT_TTL, True)


def test_lookup_fields_and_errors(servers):
    server = dev_server(servers)
    put(server, "secret/app/db", password="x", ttl="30s")
    before = datetime.now().astimezone()
    lease_id = read_lease(server, "secret/app/db")

    r = lookup(server, lease_id)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert set(data) == LOOKUP_KEYS
    assert (data["id"], data["mount"], data["role"], data["renewable"]) == (lease_id, "secret/", "", True)
    assert data["last_renewal"] is None
    assert abs(data["ttl"] - 30) <= 2
    issued, expires = parse_time(data["issue_time"]), parse_time(data["expire_time"])
    assert abs((issued - before).total_seconds()) <= 2
    assert abs((expires - issued).total_seconds() - 30) <= 0.01

    assert client(server).sys.read_lease(lease_id)["data"]["id"] == lease_id
    cli = server.bao("lease", "lookup", "-format=json", lease_id, token=ROOT)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["data"]["expire_time"] == data["expire_time"]

    r = lookup(server, "secret/app/db/AAAAAAAAAAAAAAAAAAAAAAAA")
    assert r.status_code == 400 and errors(r) == ["invalid lease"]
    r = lookup(server, "")
    assert r.status_code == 400 and errors(r) == ["lease_id must be specified"]
    r = server.request("PUT", "sys/leases/lookup", token=ROOT, body={})
    assert r.status_code == 400 and errors(r) == ["lease_id must be specified"]
    missing = server.bao("lease", "lookup", "secret/app/db/nope", token=ROOT)
    assert missing.returncode == 2 and "invalid lease" in missing.stderr


def test_renew_increment_replaces_the_ttl_from_now(servers):
    server = dev_server(servers)
    put(server, "secret/app/db", password="x", ttl="1h")
    lease_id = read_lease(server, "secret/app/db")

    r = server.request("PUT", "sys/leases/renew", token=ROOT, body={"lease_id": lease_id, "increment": 100})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["lease_id"], body["lease_duration"], body["renewable"]) == (lease_id, 100, True)
    assert body["warnings"] is None
    data = lookup(server, lease_id).json()["data"]
    assert abs(data["ttl"] - 100) <= 2 and data["last_renewal"] is not None
    renewed = parse_time(data["last_renewal"])
    assert abs((parse_time(data["expire_time"]) - renewed).total_seconds() - 100) <= 0.01

    # A smaller increment shortens the lease: it replaces, it does not add.
    cli = server.bao("lease", "renew", "-format=json", "-increment=30", lease_id, token=ROOT)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["lease_duration"] == 30
    assert abs(lookup(server, lease_id).json()["data"]["ttl"] - 30) <= 2

    renewed = client(server).sys.renew_lease(lease_id, increment="2m")
    assert renewed["lease_duration"] == 120
    assert abs(lookup(server, lease_id).json()["data"]["ttl"] - 120) <= 2


def test_renew_is_capped_by_max_lease_ttl_counted_from_issue_time(servers):
    server = dev_server(servers)
    r = server.request("POST", "sys/mounts/secret/tune", token=ROOT, body={"max_lease_ttl": "30s"})
    assert r.status_code == 204, r.text
    assert server.request("GET", "sys/mounts/secret/tune", token=ROOT).json()["data"]["max_lease_ttl"] == 30

    put(server, "secret/app/db", password="x", ttl="10s")
    lease_id = read_lease(server, "secret/app/db")
    time.sleep(1.5)  # let the lease age, so "from issue time" differs from "from now"

    r = server.request("PUT", "sys/leases/renew", token=ROOT, body={"lease_id": lease_id, "increment": "10m"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert 26 <= body["lease_duration"] <= 29, body
    assert len(body["warnings"]) == 1
    assert re.fullmatch(
        r'TTL of "10m0s" exceeded the effective max_ttl of "2\d(\.\d+)?s"; TTL value is capped accordingly',
        body["warnings"][0],
    ), body["warnings"]
    data = lookup(server, lease_id).json()["data"]
    lifetime = (parse_time(data["expire_time"]) - parse_time(data["issue_time"])).total_seconds()
    assert abs(lifetime - 30) <= 1, data

    cli = server.bao("lease", "renew", "-increment=1h", lease_id, token=ROOT)
    assert cli.returncode == 0, cli.stderr
    assert "exceeded the effective max_ttl" in cli.stderr


def test_bao_secrets_tune_sets_the_max_lease_ttl(servers):
    server = dev_server(servers)
    tune = server.bao("secrets", "tune", "-max-lease-ttl=60s", "secret/", token=ROOT)
    assert tune.returncode == 0, tune.stderr
    assert "Success! Tuned the secrets engine at: secret/" in tune.stdout
    read = json.loads(server.bao("read", "-format=json", "sys/mounts/secret/tune", token=ROOT, check=True).stdout)
    assert read["data"]["max_lease_ttl"] == 60

    put(server, "secret/app/db", password="x")
    assert server.request("GET", "secret/app/db", token=ROOT).json()["lease_duration"] == 60


def test_renew_errors_change_nothing(servers):
    server = dev_server(servers)
    put(server, "secret/app/db", password="x", ttl="1h")
    lease_id = read_lease(server, "secret/app/db")
    before = lookup(server, lease_id).json()["data"]

    for increment in (-1, "abc", "-5m"):
        r = server.request("PUT", "sys/leases/renew", token=ROOT, body={"lease_id": lease_id, "increment": increment})
        assert r.status_code == 400, (increment, r.text)
        assert '"increment"' in errors(r)[0], errors(r)
    r = server.request("PUT", "sys/leases/renew", token=ROOT, body={"lease_id": "secret/app/db/AAAAAAAAAAAAAAAAAAAAAAAA"})
    assert r.status_code == 400 and errors(r) == ["lease not found"]
    cli = server.bao("lease", "renew", "secret/app/db/nope", token=ROOT)
    assert cli.returncode == 2 and "lease not found" in cli.stderr
    with pytest.raises(hvac.exceptions.InvalidRequest, match="lease not found"):
        client(server).sys.renew_lease("secret/app/db/BBBBBBBBBBBBBBBBBBBBBBBB")

    after = lookup(server, lease_id).json()["data"]
    assert (after["expire_time"], after["last_renewal"]) == (before["expire_time"], None)


def test_revoke_sync_async_and_unknown(servers):
    server = dev_server(servers)
    put(server, "secret/app/db", password="x", ttl="1h")

    lease_id = read_lease(server, "secret/app/db")
    r = server.request("PUT", "sys/leases/revoke", token=ROOT, body={"lease_id": lease_id, "sync": True})
    assert r.status_code == 204 and r.text == ""
    assert is_gone(server, lease_id)

    lease_id = read_lease(server, "secret/app/db")
    r = server.request("PUT", "sys/leases/revoke", token=ROOT, body={"lease_id": lease_id, "sync": False})
    assert r.status_code == 202, r.text
    assert wait_for(lambda: is_gone(server, lease_id), timeout=5)

    lease_id = read_lease(server, "secret/app/db")
    cli = server.bao("lease", "revoke", lease_id, token=ROOT)
    assert cli.returncode == 0, cli.stderr
    assert "All revocation operations queued successfully!" in cli.stdout
    assert wait_for(lambda: is_gone(server, lease_id), timeout=5)

    lease_id = read_lease(server, "secret/app/db")
    cli = server.bao("lease", "revoke", "-sync", lease_id, token=ROOT)
    assert cli.returncode == 0 and f"Success! Revoked lease: {lease_id}" in cli.stdout
    assert is_gone(server, lease_id)

    lease_id = read_lease(server, "secret/app/db")
    assert client(server).sys.revoke_lease(lease_id).status_code == 204
    assert is_gone(server, lease_id)

    unknown = "secret/app/db/AAAAAAAAAAAAAAAAAAAAAAAA"
    assert server.request("PUT", "sys/leases/revoke", token=ROOT, body={"lease_id": unknown}).status_code == 204
    assert server.request("PUT", f"sys/leases/revoke/{unknown}", token=ROOT).status_code == 204
    r = server.request("PUT", "sys/leases/revoke", token=ROOT, body={})
    assert r.status_code == 400 and errors(r) == ["lease_id must be specified"]


def test_revoke_prefix_and_force(servers):
    server = dev_server(servers)
    for path in ("app/a", "app/b", "app/c", "keep"):
        put(server, f"secret/{path}", v="1", ttl="1h")
    leases = {path: [read_lease(server, f"secret/{path}") for _ in range(2)] for path in ("app/a", "app/b", "app/c", "keep")}

    r = server.request("PUT", "sys/leases/revoke-prefix/secret/app/a", token=ROOT, body={"sync": True})
    assert r.status_code == 204, r.text
    assert all(is_gone(server, lease) for lease in leases["app/a"])
    assert not any(is_gone(server, lease) for lease in leases["app/b"])

    r = server.request("PUT", "sys/leases/revoke-prefix/secret/app/b", token=ROOT, body={"sync": False})
    assert r.status_code == 202, r.text
    assert wait_for(lambda: all(is_gone(server, lease) for lease in leases["app/b"]), timeout=5)

    cli = server.bao("lease", "revoke", "-prefix", "secret/app/c", token=ROOT)
    assert cli.returncode == 0 and "All revocation operations queued successfully!" in cli.stdout
    assert wait_for(lambda: all(is_gone(server, lease) for lease in leases["app/c"]), timeout=5)

    fresh = [read_lease(server, "secret/app/a") for _ in range(2)]
    cli = server.bao("lease", "revoke", "-force", "-prefix", "secret/app/", token=ROOT)
    assert cli.returncode == 0, cli.stderr
    assert "Success! Force revoked any leases with prefix: secret/app/" in cli.stdout
    assert all(is_gone(server, lease) for lease in fresh)

    fresh = read_lease(server, "secret/app/b")
    assert client(server).sys.revoke_prefix("secret/app/").status_code == 204
    assert is_gone(server, fresh)
    fresh = read_lease(server, "secret/app/c")
    assert client(server).sys.revoke_force("secret/app/c").status_code == 204
    assert is_gone(server, fresh)

    assert not any(is_gone(server, lease) for lease in leases["keep"])
    r = server.request("PUT", "sys/leases/revoke-force/secret/nothing/here", token=ROOT)
    assert r.status_code == 204


def test_list_leases_by_prefix(servers):
    server = dev_server(servers)
    put(server, "secret/app/db", v="1", ttl="1h")
    put(server, "secret/app/cache", v="1", ttl="1h")
    db = sorted(read_lease(server, "secret/app/db") for _ in range(3))
    read_lease(server, "secret/app/cache")

    cli = server.bao("list", "-format=json", "sys/leases/lookup/secret/app/", token=ROOT)
    assert cli.returncode == 0, cli.stderr
    assert sorted(json.loads(cli.stdout)) == ["cache/", "db/"]
    listed = client(server).sys.list_leases("secret/app/db/")["data"]["keys"]
    assert sorted(listed) == [lease.rsplit("/", 1)[1] for lease in db]
    r = server.request("LIST", "sys/leases/lookup/secret/", token=ROOT)
    assert r.status_code == 200 and r.json()["data"]["keys"] == ["app/"]
    assert "secret/" in server.request("LIST", "sys/leases/lookup/", token=ROOT).json()["data"]["keys"]

    r = server.request("LIST", "sys/leases/lookup/secret/nothing/", token=ROOT)
    assert r.status_code == 404
    empty = server.bao("list", "sys/leases/lookup/secret/nothing/", token=ROOT)
    assert empty.returncode == 2 and "No value found at sys/leases/lookup/secret/nothing" in empty.stderr


def test_lease_expires_and_is_revoked(servers):
    server = dev_server(servers)
    put(server, "secret/app/db", password="x", ttl="1s")
    body = server.request("GET", "secret/app/db", token=ROOT).json()
    assert body["lease_duration"] == 1
    lease_id = body["lease_id"]
    assert lookup(server, lease_id).status_code == 200

    assert wait_for(lambda: is_gone(server, lease_id), timeout=5), "a 1s lease must be revoked when it expires"
    counts = server.request("GET", "sys/leases/counts", token=ROOT).json()["data"]
    assert counts["total"] == 0 and counts["mounts"] == {}
    r = server.request("PUT", "sys/leases/renew", token=ROOT, body={"lease_id": lease_id})
    assert r.status_code == 400 and errors(r) == ["lease not found"]


def test_counts_search_and_paging(servers):
    server = dev_server(servers)
    put(server, "secret/app/db", v="1", ttl="1h")
    put(server, "secret/svc/db", v="1", ttl="30s")
    app = {read_lease(server, "secret/app/db") for _ in range(7)}
    svc = {read_lease(server, "secret/svc/db") for _ in range(3)}

    counts = server.request("GET", "sys/leases/counts", token=ROOT).json()["data"]
    assert counts == {"total": 10, "irrevocable": 0, "restoring": False,
                      "mounts": {"secret/": {"total": 10, "roles": {"": 10}}}}
    vault_count = server.request("GET", "sys/leases/count?type=irrevocable", token=ROOT)
    assert vault_count.status_code == 200 and vault_count.json()["data"] == {"lease_count": 0}

    seen, pages, after = [], 0, None
    while True:
        query = "sys/leases/search?mount=secret/&prefix=secret/app/&limit=3" + (f"&after={after}" if after else "")
        r = server.request("GET", query, token=ROOT)
        assert r.status_code == 200, r.text
        data = r.json()["data"]
        assert data["total"] == 7
        assert len(data["leases"]) <= 3
        for lease in data["leases"]:
            assert set(lease) == SEARCH_KEYS
            assert (lease["mount"], lease["role"], lease["irrevocable"], lease["revoke_error"]) == ("secret/", "", False, None)
            assert abs(lease["ttl"] - 3600) <= 2
        seen += [lease["lease_id"] for lease in data["leases"]]
        pages += 1
        after = data["next"]
        if after is None:
            break
        assert pages < 10, "paging must end"
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7, "pages are disjoint"
    # A last page that is exactly full has no cursor to an empty page after it.
    full = server.request("GET", "sys/leases/search?mount=secret/&prefix=secret/app/&limit=7", token=ROOT).json()["data"]
    assert len(full["leases"]) == 7 and full["next"] is None
    assert set(seen) == app

    soon = server.request("GET", "sys/leases/search?expiring_within=1m", token=ROOT).json()["data"]
    assert soon["total"] == 3 and {lease["lease_id"] for lease in soon["leases"]} == svc
    assert all(abs(lease["ttl"] - 30) <= 2 for lease in soon["leases"])
    everything = server.request("GET", "sys/leases/search?mount=secret/&expiring_within=1h", token=ROOT).json()["data"]
    assert everything["total"] == 10 and everything["next"] is None

    # Three leases end within the first minute, seven in the slice from 50 to 60 minutes.
    timeline = server.request("GET", "sys/leases/timeline?window=1h&buckets=6", token=ROOT).json()["data"]
    assert timeline["bucket_seconds"] == 600
    assert timeline["counts"] == [3, 0, 0, 0, 0, 7]
    assert (timeline["overdue"], timeline["later"]) == (0, 0)
    short = server.request("GET", "sys/leases/timeline?window=10m&buckets=10", token=ROOT).json()["data"]
    assert short["counts"][0] == 3 and sum(short["counts"]) == 3 and short["later"] == 7
    r = server.request("GET", "sys/leases/timeline?window=1h&buckets=7", token=ROOT)
    assert r.status_code == 400 and "window" in errors(r)[0]
    r = server.request("GET", "sys/leases/timeline?buckets=0", token=ROOT)
    assert r.status_code == 400 and "buckets" in errors(r)[0]

    r = server.request("GET", "sys/leases/search?expiring_within=bogus", token=ROOT)
    assert r.status_code == 400 and "expiring_within" in errors(r)[0]
    r = server.request("GET", "sys/leases/search?limit=0", token=ROOT)
    assert r.status_code == 400 and "limit" in errors(r)[0]

    r = server.request("POST", "sys/leases/tidy", token=ROOT)
    assert r.status_code == 202, r.text
    assert server.request("GET", "sys/leases/counts", token=ROOT).json()["data"]["total"] == 10


def test_disabling_a_mount_revokes_its_leases(servers):
    server = dev_server(servers)
    enable = server.bao("secrets", "enable", "-path=leased", "-options=leased=true", "kv", token=ROOT)
    assert enable.returncode == 0, enable.stderr
    assert server.bao("kv", "put", "leased/a", "x=1", "ttl=1h", token=ROOT).returncode == 0
    leased = json.loads(server.bao("read", "-format=json", "leased/a", token=ROOT, check=True).stdout)
    assert re.fullmatch(r"leased/a/[0-9A-Za-z]{24}", leased["lease_id"]) and leased["lease_duration"] == 3600
    put(server, "secret/app/db", v="1", ttl="1h")
    other = read_lease(server, "secret/app/db")

    mounts = server.request("GET", "sys/leases/counts", token=ROOT).json()["data"]["mounts"]
    assert mounts == {"leased/": {"total": 1, "roles": {"": 1}}, "secret/": {"total": 1, "roles": {"": 1}}}

    disable = server.bao("secrets", "disable", "leased", token=ROOT)
    assert disable.returncode == 0, disable.stderr
    assert wait_for(lambda: is_gone(server, leased["lease_id"]), timeout=5)
    assert lookup(server, other).status_code == 200
    mounts = server.request("GET", "sys/leases/counts", token=ROOT).json()["data"]["mounts"]
    assert mounts == {"secret/": {"total": 1, "roles": {"": 1}}}


def test_leases_and_tokens_survive_a_restart(servers):
    server = servers().start()
    keys, root = init_and_unseal(server)
    enable = server.bao("secrets", "enable", "-path=leased", "-options=leased=true", "kv", token=root)
    assert enable.returncode == 0, enable.stderr
    r = server.request("PUT", "sys/policies/acl/reader", token=root,
                       body={"policy": 'path "leased/*" {\n  capabilities = ["read"]\n}\n'})
    assert r.status_code == 204
    put(server, "leased/long", token=root, v="1", ttl="1h")
    put(server, "leased/short", token=root, v="1", ttl="2s")
    token = server.request("POST", "auth/token/create", token=root,
                           body={"policies": ["reader"], "ttl": "1h"}).json()["auth"]["client_token"]
    long_lease = read_lease(server, "leased/long", token=token)
    short_lease = read_lease(server, "leased/short", token=token)
    before = lookup(server, long_lease, root).json()["data"]
    short_expiry = parse_time(lookup(server, short_lease, root).json()["data"]["expire_time"])

    assert server.stop() == 0
    # The short lease expires while the server is down.
    assert wait_for(lambda: datetime.now().astimezone() > short_expiry + timedelta(milliseconds=300), timeout=5)
    server.start()
    for key in keys[:3]:
        assert server.request("PUT", "sys/unseal", body={"key": key}).status_code == 200

    assert wait_for(lambda: is_gone(server, short_lease, root), timeout=5), \
        "a lease that expired while the server was down is revoked shortly after unseal"

    after = lookup(server, long_lease, root)
    assert after.status_code == 200, after.text
    after = after.json()["data"]
    assert (after["issue_time"], after["expire_time"]) == (before["issue_time"], before["expire_time"])
    renew = server.bao("lease", "renew", "-format=json", "-increment=600", long_lease, token=root)
    assert renew.returncode == 0, renew.stderr
    assert json.loads(renew.stdout)["lease_duration"] == 600

    me = server.request("GET", "auth/token/lookup-self", token=token)
    assert me.status_code == 200, me.text
    assert me.json()["data"]["policies"] == ["default", "reader"]
    assert 3500 <= me.json()["data"]["ttl"] <= 3600
    assert server.request("GET", "leased/long", token=token).status_code == 200

    def settled():
        data = server.request("GET", "sys/leases/counts", token=root).json()["data"]
        return data if not data["restoring"] else None

    counts = wait_for(settled, timeout=5)
    assert counts and counts["mounts"]["leased/"] == {"total": 2, "roles": {"": 2}}
