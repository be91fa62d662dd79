"""The token store and ACL policies, driven by the `bao` CLI, hvac and raw HTTP against
`strongroom server -dev -dev-leased-kv`: create/lookup/renew/revoke (by token and accessor),
child trees and orphans, num_uses, expiry, policy CRUD on both endpoints, HCL and JSON rules,
globs, deny, sudo paths and error reporting."""

import json
import re

import hvac
import pytest

from conftest import wait_for

ROOT = "root"

APPS = 'path "secret/app" {\n  capabilities = ["read"]\n}\n'
CREATOR = (
    'path "auth/token/create" {\n  capabilities = ["update"]\n}\n'
    'path "auth/token/create-orphan" {\n  capabilities = ["update"]\n}\n'
)


def dev_server(servers, name="dev"):
    return servers(
        ["server", "-dev", f"-dev-root-token-id={ROOT}", "-dev-leased-kv", "-dev-listen-address=127.0.0.1:{port}"],
        name=name,
    ).start()


def write_policy(server, name, text):
    r = server.request("PUT", f"sys/policies/acl/{name}", token=ROOT, body={"policy": text})
    assert r.status_code == 204, r.text


def create_token(server, token=ROOT, path="auth/token/create", **body):
    r = server.request("POST", path, token=token, body=body)
    assert r.status_code == 200, r.text
    return r.json()["auth"]


def errors(response):
    return response.json()["errors"]


def client(server, token=ROOT):
    return hvac.Client(url=server.addr, token=token)


# --- tokens -----------------------------------------------------------------------------


def test_bao_token_create_and_lookup_report_every_field(servers):
    server = dev_server(servers)
    write_policy(server, "apps", APPS)

    created = server.bao(
        "token", "create", "-format=json", "-policy=apps", "-ttl=1h", "-explicit-max-ttl=2h",
        "-display-name=web", "-metadata=team=blue", token=ROOT, check=True,
    )
    auth = json.loads(created.stdout)["auth"]
    assert auth["policies"] == ["apps", "default"]
    assert auth["token_policies"] == ["apps", "default"]
    assert auth["metadata"] == {"team": "blue"}
    assert (auth["lease_duration"], auth["renewable"], auth["orphan"]) == (3600, True, False)
    assert auth["client_token"].startswith("hvs.") and len(auth["client_token"]) == 28
    assert len(auth["accessor"]) == 24

    lookup = server.bao("token", "lookup", "-format=json", token=auth["client_token"], check=True)
    data = json.loads(lookup.stdout)["data"]
    assert data["id"] == auth["client_token"]
    assert data["accessor"] == auth["accessor"]
    assert data["policies"] == ["apps", "default"]
    assert data["display_name"] == "token-web"
    assert data["meta"] == {"team": "blue"}
    assert data["path"] == "auth/token/create"
    assert (data["creation_ttl"], data["explicit_max_ttl"], data["num_uses"]) == (3600, 7200, 0)
    assert (data["renewable"], data["orphan"], data["type"]) == (True, False, "service")
    assert abs(data["ttl"] - 3600) <= 2

    # lookup by token (hvac) and by accessor (raw HTTP): the accessor view hides the id.
    other = client(server).auth.token.lookup(auth["client_token"])["data"]
    assert other["accessor"] == auth["accessor"] and other["id"] == auth["client_token"]
    r = server.request("POST", "auth/token/lookup-accessor", token=ROOT, body={"accessor": auth["accessor"]})
    assert r.status_code == 200, r.text
    by_accessor = r.json()["data"]
    assert by_accessor["id"] == "" and by_accessor["policies"] == ["apps", "default"]
    assert by_accessor["display_name"] == "token-web"


def test_unknown_policy_on_create_is_rejected_with_its_name(servers):
    server = dev_server(servers)
    write_policy(server, "apps", APPS)

    r = server.request("POST", "auth/token/create", token=ROOT, body={"policies": ["apps", "nosuch"]})
    assert r.status_code == 400
    assert 'policy "nosuch" does not exist' in errors(r)[0]

    cli = server.bao("token", "create", "-policy=ghost", token=ROOT)
    assert cli.returncode == 2
    assert "Code: 400" in cli.stderr and 'policy "ghost" does not exist' in cli.stderr

    with pytest.raises(hvac.exceptions.InvalidRequest, match="phantom"):
        client(server).auth.token.create(policies=["phantom"])


def test_non_root_parent_may_only_hand_out_a_subset_of_its_policies(servers):
    server = dev_server(servers)
    write_policy(server, "apps", APPS)
    write_policy(server, "creator", CREATOR)
    write_policy(server, "other", 'path "secret/other" { capabilities = ["read"] }')
    parent = create_token(server, policies=["apps", "creator"])["client_token"]

    child = create_token(server, token=parent, policies=["apps"])
    assert child["policies"] == ["apps", "default"] and child["orphan"] is False
    inherited = create_token(server, token=parent)
    assert inherited["policies"] == ["apps", "creator", "default"]

    r = server.request("POST", "auth/token/create", token=parent, body={"policies": ["other"]})
    assert r.status_code == 400 and "child policies must be subset of parent" in errors(r)[0]
    r = server.request("POST", "auth/token/create", token=parent, body={"policies": ["root"]})
    assert r.status_code == 400
    r = server.request("POST", "auth/token/create", token=parent, body={"policies": ["apps"], "no_parent": True})
    assert r.status_code == 400 and "root or sudo privileges required" in errors(r)[0]

    # The `apps` token itself may not create tokens at all.
    apps_only = create_token(server, policies=["apps"])["client_token"]
    r = server.request("POST", "auth/token/create", token=apps_only, body={"policies": ["apps"]})
    assert r.status_code == 403 and errors(r) == ["permission denied"]


def test_children_die_with_their_parent_but_orphans_survive(servers):
    server = dev_server(servers)
    write_policy(server, "apps", APPS)
    write_policy(server, "creator", CREATOR)
    root_client = client(server)

    parent = root_client.auth.token.create(policies=["apps", "creator"])["auth"]["client_token"]
    parent_client = client(server, parent)
    child = parent_client.auth.token.create(policies=["apps"])["auth"]["client_token"]
    child_client = client(server, child)
    orphan = parent_client.auth.token.create_orphan(policies=["apps"])["auth"]
    assert orphan["orphan"] is True
    no_parent = root_client.auth.token.create(policies=["apps"], no_parent=True)["auth"]
    assert no_parent["orphan"] is True

    assert child_client.auth.token.lookup_self()["data"]["orphan"] is False
    root_client.auth.token.revoke(parent)

    for dead in (parent, child):
        r = server.request("GET", "auth/token/lookup-self", token=dead)
        assert r.status_code == 403 and errors(r) == ["permission denied"]
    for alive in (orphan["client_token"], no_parent["client_token"]):
        assert client(server, alive).auth.token.lookup_self()["data"]["orphan"] is True

    # revoke-self and revoke-accessor end the survivors.
    r = server.request("POST", "auth/token/revoke-self", token=orphan["client_token"])
    assert r.status_code == 204, r.text
    assert server.request("GET", "auth/token/lookup-self", token=orphan["client_token"]).status_code == 403
    root_client.auth.token.revoke_accessor(no_parent["accessor"])
    assert server.request("GET", "auth/token/lookup-self", token=no_parent["client_token"]).status_code == 403
    r = server.request("POST", "auth/token/lookup-accessor", token=ROOT, body={"accessor": no_parent["accessor"]})
    assert r.status_code == 400 and errors(r) == ["invalid accessor"]


def test_bao_token_revoke_takes_the_child_tree(servers):
    server = dev_server(servers)
    write_policy(server, "creator", CREATOR)
    parent = json.loads(server.bao("token", "create", "-format=json", "-policy=creator", token=ROOT,
                                   check=True).stdout)["auth"]["client_token"]
    child = json.loads(server.bao("token", "create", "-format=json", "-policy=creator", token=parent,
                                  check=True).stdout)["auth"]["client_token"]
    grandchild = json.loads(server.bao("token", "create", "-format=json", token=child,
                                       check=True).stdout)["auth"]["client_token"]
    revoke = server.bao("token", "revoke", child, token=ROOT)
    assert revoke.returncode == 0, revoke.stderr
    assert server.bao("token", "lookup", token=grandchild).returncode == 2
    assert server.bao("token", "lookup", token=child).returncode == 2
    assert server.bao("token", "lookup", token=parent).returncode == 0


def test_lookup_of_an_unknown_token_is_403_bad_token(servers):
    server = dev_server(servers)
    r = server.request("POST", "auth/token/lookup", token=ROOT, body={"token": "hvs.AAAAAAAAAAAAAAAAAAAAAAAA"})
    assert r.status_code == 403, r.text
    assert errors(r) == ["bad token"]
    with pytest.raises(hvac.exceptions.Forbidden):
        client(server).auth.token.lookup("hvs.BBBBBBBBBBBBBBBBBBBBBBBB")


def test_token_with_ttl_expires_and_its_leases_are_revoked(servers):
    server = dev_server(servers)
    write_policy(server, "apps", APPS)
    assert server.request("PUT", "secret/app", token=ROOT, body={"password": "p"}).status_code == 204
    auth = create_token(server, policies=["apps"], ttl="2s")
    token = auth["client_token"]
    assert (auth["lease_duration"], auth["renewable"]) == (2, True)

    read = server.request("GET", "secret/app", token=token)
    assert read.status_code == 200, read.text
    lease_id = read.json()["lease_id"]
    assert server.request("PUT", "sys/leases/lookup", token=ROOT, body={"lease_id": lease_id}).status_code == 200

    gone = wait_for(lambda: server.request("GET", "secret/app", token=token).status_code == 403, timeout=6)
    assert gone, "a token with ttl=2s must stop working"
    r = server.request("GET", "auth/token/lookup-self", token=token)
    assert r.status_code == 403 and errors(r) == ["permission denied"]

    def lease_revoked():
        r = server.request("PUT", "sys/leases/lookup", token=ROOT, body={"lease_id": lease_id})
        return r.status_code == 400 and errors(r) == ["invalid lease"]

    assert wait_for(lease_revoked, timeout=5), "the expired token's lease must be revoked"
    r = server.request("POST", "auth/token/lookup-accessor", token=ROOT, body={"accessor": auth["accessor"]})
    assert r.status_code == 400


def test_num_uses_allows_exactly_n_requests(servers):
    server = dev_server(servers)
    write_policy(server, "apps", APPS)
    assert server.request("PUT", "secret/app", token=ROOT, body={"v": "1"}).status_code == 204
    token = create_token(server, policies=["apps"], num_uses=3)["client_token"]

    assert server.request("GET", "secret/app", token=token).status_code == 200
    lookup = server.request("POST", "auth/token/lookup", token=ROOT, body={"token": token})
    assert lookup.json()["data"]["num_uses"] == 2
    assert server.request("GET", "secret/app", token=token).status_code == 200
    assert server.request("GET", "auth/token/lookup-self", token=token).status_code == 200  # the 3rd use
    for _ in range(2):
        r = server.request("GET", "secret/app", token=token)
        assert r.status_code == 403 and errors(r) == ["permission denied"]

    # bao token create -use-limit, through the CLI.
    limited = json.loads(server.bao("token", "create", "-format=json", "-policy=apps", "-use-limit=1",
                                    token=ROOT, check=True).stdout)["auth"]["client_token"]
    assert server.bao("read", "secret/app", token=limited).returncode == 0
    assert server.bao("read", "secret/app", token=limited).returncode == 2


def test_renew_replaces_the_ttl_and_is_capped_by_explicit_max_ttl(servers):
    server = dev_server(servers)
    write_policy(server, "apps", APPS)
    root_client = client(server)
    auth = root_client.auth.token.create(policies=["apps"], ttl="10m", explicit_max_ttl="20m")["auth"]
    token = auth["client_token"]

    renewed = root_client.auth.token.renew(token, increment="30m")
    assert abs(renewed["auth"]["lease_duration"] - 1200) <= 2
    assert len(renewed["warnings"]) == 1
    assert re.fullmatch(
        r'TTL of "30m0s" exceeded the effective max_ttl of "(19m5\d|20m0)s"; TTL value is capped accordingly',
        renewed["warnings"][0],
    ), renewed["warnings"]

    r = server.request("POST", "auth/token/renew-self", token=token, body={"increment": "5m"})
    assert r.status_code == 200, r.text
    assert r.json()["auth"]["lease_duration"] == 300
    data = root_client.auth.token.lookup(token)["data"]
    assert abs(data["ttl"] - 300) <= 2 and data["last_renewal"] is not None
    assert data["creation_ttl"] == 600

    cli = server.bao("token", "renew", "-format=json", "-increment=90s", token, token=ROOT)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["auth"]["lease_duration"] == 90

    fixed = create_token(server, policies=["apps"], ttl="10m", renewable=False)
    assert fixed["renewable"] is False
    r = server.request("POST", "auth/token/renew", token=ROOT, body={"token": fixed["client_token"]})
    assert r.status_code == 400, r.text
    assert "not renewable" in errors(r)[0]
    still = server.request("POST", "auth/token/lookup", token=ROOT, body={"token": fixed["client_token"]})
    assert abs(still.json()["data"]["ttl"] - 600) <= 2


# --- policies ---------------------------------------------------------------------------


def test_bao_policy_crud_and_both_http_endpoints(servers):
    server = dev_server(servers)
    path = server.workdir / "apps.hcl"
    path.write_text(APPS)
    write = server.bao("policy", "write", "apps", str(path), token=ROOT)
    assert write.returncode == 0 and "Success! Uploaded policy: apps" in write.stdout

    assert server.bao("policy", "read", "apps", token=ROOT, check=True).stdout.strip() == APPS.strip()
    listed = server.bao("policy", "list", "-format=json", token=ROOT, check=True)
    assert sorted(json.loads(listed.stdout)) == ["apps", "default", "root"]

    legacy = server.request("GET", "sys/policy/apps", token=ROOT).json()
    assert legacy["data"] == {"name": "apps", "rules": APPS}
    assert (legacy["name"], legacy["rules"]) == ("apps", APPS)
    acl = server.request("GET", "sys/policies/acl/apps", token=ROOT).json()
    assert acl["data"] == {"name": "apps", "policy": APPS}
    keys = server.request("LIST", "sys/policy", token=ROOT).json()["data"]
    assert keys["keys"] == keys["policies"] and sorted(keys["keys"]) == ["apps", "default", "root"]
    keys = server.request("LIST", "sys/policies/acl", token=ROOT).json()["data"]["keys"]
    assert sorted(keys) == ["apps", "default", "root"]

    delete = server.bao("policy", "delete", "apps", token=ROOT)
    assert delete.returncode == 0, delete.stderr
    assert server.request("GET", "sys/policy/apps", token=ROOT).status_code == 404
    assert server.request("GET", "sys/policies/acl/apps", token=ROOT).status_code == 404
    assert server.bao("policy", "read", "apps", token=ROOT).returncode == 2


def test_json_policy_through_hvac(servers):
    server = dev_server(servers)
    root_client = client(server)
    root_client.sys.create_or_update_policy(
        "jsonapps", {"path": {"secret/json/*": {"capabilities": ["read", "list"]}}}
    )
    stored = root_client.sys.read_policy("jsonapps")["data"]["rules"]
    assert json.loads(stored) == {"path": {"secret/json/*": {"capabilities": ["read", "list"]}}}
    assert "jsonapps" in root_client.sys.list_policies()["data"]["policies"]

    root_client.secrets.kv.v1.create_or_update_secret("json/a", {"k": "v"}, mount_point="secret")
    root_client.secrets.kv.v1.create_or_update_secret("plain", {"k": "v"}, mount_point="secret")
    token = root_client.auth.token.create(policies=["jsonapps"])["auth"]["client_token"]
    reader = client(server, token)
    assert reader.secrets.kv.v1.read_secret("json/a", mount_point="secret")["data"] == {"k": "v"}
    assert reader.secrets.kv.v1.list_secrets("json", mount_point="secret")["data"]["keys"] == ["a"]
    with pytest.raises(hvac.exceptions.Forbidden):
        reader.secrets.kv.v1.read_secret("plain", mount_point="secret")
    with pytest.raises(hvac.exceptions.Forbidden):
        reader.secrets.kv.v1.create_or_update_secret("json/b", {"k": "v"}, mount_point="secret")

    root_client.sys.delete_policy("jsonapps")
    with pytest.raises(hvac.exceptions.InvalidPath):
        root_client.sys.read_policy("jsonapps")


GLOBS = """
path "secret/*" {
  capabilities = ["read", "list"]
}
path "secret/team/+/db" {
  capabilities = ["create", "update"]
}
path "secret/team/ops/*" {
  capabilities = ["deny"]
}
path "secret/team/dev/db" {
  capabilities = ["read", "delete"]
}
"""


def test_globs_most_specific_rule_and_deny(servers):
    server = dev_server(servers)
    write_policy(server, "globs", GLOBS)
    token = create_token(server, policies=["globs"])["client_token"]

    paths = ["secret/x", "secret/team/qa/db", "secret/team/ops/db", "secret/team/dev/db",
             "secret/team/a/b/db", "secret", "other/x"]
    r = server.request("POST", "sys/capabilities-self", token=token, body={"paths": paths})
    assert r.status_code == 200, r.text
    caps = {k: sorted(v) for k, v in r.json()["data"].items()}
    assert caps == {
        "secret/x": ["list", "read"],
        "secret/team/qa/db": ["create", "update"],  # `+` beats the shorter `*` prefix
        "secret/team/ops/db": ["deny"],  # the longer prefix with deny
        "secret/team/dev/db": ["delete", "read"],  # exact beats both globs
        "secret/team/a/b/db": ["list", "read"],  # `+` is one segment only
        "secret": ["deny"],
        "other/x": ["deny"],
    }

    # The UI's view of the same token: every merged rule, globs keyed without their `*`.
    r = server.request("GET", "sys/internal/ui/resultant-acl", token=token)
    assert r.status_code == 200, r.text
    acl = r.json()["data"]
    assert acl["root"] is False
    assert {k: v["capabilities"] for k, v in acl["glob_paths"].items() if k.startswith("secret")} == {
        "secret/": ["list", "read"],
        "secret/team/+/db": ["create", "update"],
        "secret/team/ops/": ["deny"],
    }
    exact = {k: v["capabilities"] for k, v in acl["exact_paths"].items()}
    assert exact["secret/team/dev/db"] == ["delete", "read"]
    assert exact["sys/capabilities-self"] == ["update"], "the default policy's rules are merged in"
    root = server.request("GET", "sys/internal/ui/resultant-acl", token=ROOT).json()["data"]
    assert root["root"] is True
    assert server.request("GET", "sys/internal/ui/resultant-acl").status_code == 403

    for path, expected in (("secret/x", "list, read"), ("secret/team/ops/db", "deny")):
        out = server.bao("token", "capabilities", path, token=token)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == expected
    assert server.bao("token", "capabilities", "secret/x", token=ROOT).stdout.strip() == "root"

    # The answers match what the server enforces.
    assert server.request("PUT", "secret/team/qa/db", token=ROOT, body={"a": "1"}).status_code == 204
    assert server.request("PUT", "secret/team/ops/db", token=ROOT, body={"a": "1"}).status_code == 204
    assert server.request("PUT", "secret/team/qa/db", token=token, body={"a": "2"}).status_code == 204
    assert server.request("GET", "secret/team/qa/db", token=token).status_code == 403
    assert server.request("GET", "secret/team/ops/db", token=token).status_code == 403
    assert server.request("DELETE", "secret/team/dev/db", token=token).status_code == 204
    assert server.request("GET", "secret/team/qa/db", token=ROOT).json()["data"] == {"a": "2"}


def test_malformed_policies_report_line_and_column_and_keep_the_old_one(servers):
    server = dev_server(servers)
    write_policy(server, "globs", GLOBS)

    bad = server.workdir / "bad.hcl"
    bad.write_text('path "secret/a" {\n  capabilities = ["read"]\n}\npath "secret/b" {\n  capabilities = ["read"\n}\n')
    cli = server.bao("policy", "write", "globs", str(bad), token=ROOT)
    assert cli.returncode == 2
    assert "Code: 400" in cli.stderr and "line 6" in cli.stderr and "column 1" in cli.stderr

    r = server.request("PUT", "sys/policy/globs", token=ROOT,
                       body={"policy": 'path "x" {\n  capabilities = ["read", "fly"]\n}\n'})
    assert r.status_code == 400
    assert "line 2" in errors(r)[0] and "column" in errors(r)[0] and '"fly"' in errors(r)[0]

    r = server.request("PUT", "sys/policies/acl/globs", token=ROOT,
                       body={"policy": '{"path": {"x": {"capabilities": ["read"]}'})
    assert r.status_code == 400
    assert re.search(r"line 1, column \d+", errors(r)[0]), errors(r)

    r = server.request("PUT", "sys/policies/acl/globs", token=ROOT, body={"policy": ""})
    assert r.status_code == 400, "an empty policy is refused like Vault ('policy' parameter not supplied or empty)"

    assert server.request("GET", "sys/policies/acl/globs", token=ROOT).json()["data"]["policy"] == GLOBS


def test_root_cannot_be_written_and_default_cannot_be_deleted(servers):
    server = dev_server(servers)
    r = server.request("PUT", "sys/policy/root", token=ROOT, body={"policy": APPS})
    assert r.status_code == 400 and "root" in errors(r)[0]
    r = server.request("PUT", "sys/policies/acl/root", token=ROOT, body={"policy": APPS})
    assert r.status_code == 400 and "root" in errors(r)[0]

    cli = server.bao("policy", "delete", "default", token=ROOT)
    assert cli.returncode == 2 and 'cannot delete "default" policy' in cli.stderr
    r = server.request("DELETE", "sys/policy/default", token=ROOT)
    assert r.status_code == 400 and errors(r) == ['cannot delete "default" policy']
    default = server.request("GET", "sys/policies/acl/default", token=ROOT)
    assert default.status_code == 200 and 'path "auth/token/lookup-self"' in default.json()["data"]["policy"]

    # Every token gets `default`: it may look itself up, and nothing more.
    token = create_token(server, policies=["default"])["client_token"]
    assert server.request("GET", "auth/token/lookup-self", token=token).status_code == 200
    assert server.request("GET", "secret/anything", token=token).status_code == 403


def test_apps_token_is_forbidden_on_sys_mounts_and_sudo_paths(servers):
    server = dev_server(servers)
    write_policy(server, "apps", APPS)
    write_policy(server, "leases", 'path "sys/leases/*" {\n  capabilities = ["create", "read", "update", "list"]\n}\n')
    write_policy(server, "leases-sudo",
                 'path "sys/leases/*" {\n  capabilities = ["create", "read", "update", "list", "sudo"]\n}\n')
    assert server.request("PUT", "secret/app", token=ROOT, body={"v": "1"}).status_code == 204

    apps = create_token(server, policies=["apps"])["client_token"]
    listing = server.bao("secrets", "list", token=apps)
    assert listing.returncode == 2 and "Code: 403" in listing.stderr and "permission denied" in listing.stderr
    with pytest.raises(hvac.exceptions.Forbidden):
        client(server, apps).sys.list_mounted_secrets_engines()
    assert server.request("GET", "sys/mounts", token=apps).status_code == 403
    r = server.request("POST", "sys/capabilities-self", token=apps, body={"paths": ["secret/app", "sys/mounts"]})
    assert r.json()["data"] == {"secret/app": ["read"], "sys/mounts": ["deny"]}

    lease_id = server.request("GET", "secret/app", token=ROOT).json()["lease_id"]
    plain = create_token(server, policies=["leases"])["client_token"]
    sudo = create_token(server, policies=["leases-sudo"])["client_token"]
    # Not sudo: lookup/renew of one lease work; list, revoke-prefix and revoke-force don't.
    assert server.request("PUT", "sys/leases/lookup", token=plain, body={"lease_id": lease_id}).status_code == 200
    assert server.request("PUT", "sys/leases/renew", token=plain, body={"lease_id": lease_id}).status_code == 200
    for method, path in (("LIST", "sys/leases/lookup/secret/"),
                         ("PUT", "sys/leases/revoke-prefix/secret/nothing"),
                         ("PUT", "sys/leases/revoke-force/secret/nothing")):
        r = server.request(method, path, token=plain)
        assert r.status_code == 403 and errors(r) == ["permission denied"], (path, r.text)
    listed = server.bao("list", "sys/leases/lookup/secret/", token=plain)
    assert listed.returncode == 2 and "Code: 403" in listed.stderr

    r = server.request("LIST", "sys/leases/lookup/secret/", token=sudo)
    assert r.status_code == 200 and r.json()["data"]["keys"] == ["app/"]
    assert server.request("PUT", "sys/leases/revoke-prefix/secret/nothing", token=sudo).status_code == 204
    assert server.request("PUT", "sys/leases/revoke-force/secret/nothing", token=sudo).status_code == 204
    caps = server.request("POST", "sys/capabilities-self", token=sudo,
                          body={"paths": ["sys/leases/lookup/secret/"]}).json()["data"]
    assert sorted(caps["sys/leases/lookup/secret/"]) == ["create", "list", "read", "sudo", "update"]
