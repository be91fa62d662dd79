"""`strongroom server -setup`: the setup API against moto, with moto's IAM enforcement on where
the test is about credentials and permissions, so that every failure is named at its field."""

import json
import stat

import boto3
import pytest
import requests

from conftest import Moto

TABLE = "vault"
KEY_SCHEMA = [{"AttributeName": "Path", "KeyType": "HASH"}, {"AttributeName": "Key", "KeyType": "RANGE"}]
ATTRIBUTES = [{"AttributeName": "Path", "AttributeType": "S"}, {"AttributeName": "Key", "AttributeType": "S"}]


def setup_server(servers, tmp_path):
    config = tmp_path / "cfg" / "strongroom.hcl"
    server = servers(args=["server", f"-config={config}", "-setup", "-setup-listen-address=127.0.0.1:{port}"])
    server.start(ready="sys/setup")
    return server, config


def storage(endpoint, **extra):
    return {"type": "dynamodb", "region": "us-east-1", "endpoint": endpoint, "table": TABLE, **extra}


def client(service, endpoint, key="test", secret="test"):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key=secret)


def limited_user(endpoint, name, actions):
    """An IAM user allowed only `actions` (three of moto's unauthenticated set-up requests);
    returns its access key."""
    iam = client("iam", endpoint)
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
    iam.put_user_policy(UserName=name, PolicyName="only", PolicyDocument=json.dumps(policy))
    return key


@pytest.fixture
def iam_moto(tmp_path):
    """moto checking signatures and IAM policies after its first four (set-up) requests: a user
    allowed only dynamodb:DescribeTable, and a Vault-shaped table."""
    server = Moto(tmp_path, env={"INITIAL_NO_AUTH_ACTION_COUNT": "4"}, name="moto-iam")
    try:
        key = limited_user(server.endpoint, "limited", ["dynamodb:DescribeTable"])
        client("dynamodb", server.endpoint).create_table(
            TableName=TABLE, KeySchema=KEY_SCHEMA, AttributeDefinitions=ATTRIBUTES, BillingMode="PAY_PER_REQUEST")
        server.limited = (key["AccessKeyId"], key["SecretAccessKey"])
        yield server
    finally:
        server.stop()


def test_credentials_and_permissions_are_named_at_their_fields(servers, tmp_path, iam_moto):
    server, _ = setup_server(servers, tmp_path)
    # Keys AWS does not know.
    r = server.request("POST", "sys/setup/storage/test",
                       body=storage(iam_moto.endpoint, access_key="AKIAUNKNOWN", secret_key="nope"))
    assert r.status_code == 400, r.text
    assert r.json()["field"] == "credentials"
    assert r.json()["errors"][0].startswith("AWS does not accept these credentials")
    assert "nope" not in r.text

    # Keys that may describe the table but not read it: the probe names the action.
    key, secret = iam_moto.limited
    r = server.request("POST", "sys/setup/storage/test",
                       body=storage(iam_moto.endpoint, access_key=key, secret_key=secret))
    assert r.status_code == 400, r.text
    assert r.json()["field"] == "permissions"
    assert r.json()["errors"][0].startswith('these credentials may not call dynamodb:GetItem on table "vault"')
    assert secret not in r.text


def test_kms_permissions_are_named(servers, tmp_path):
    moto = Moto(tmp_path, env={"INITIAL_NO_AUTH_ACTION_COUNT": "5"}, name="moto-kms")
    try:
        key = limited_user(moto.endpoint, "describer", ["kms:DescribeKey"])
        kms = client("kms", moto.endpoint)
        key_id = kms.create_key()["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName="alias/setup", TargetKeyId=key_id)

        server, _ = setup_server(servers, tmp_path)
        seal = {"type": "awskms", "kms_key_id": "alias/setup", "region": "us-east-1", "endpoint": moto.endpoint,
                "access_key": key["AccessKeyId"], "secret_key": key["SecretAccessKey"]}
        r = server.request("POST", "sys/setup/seal/test", body=seal)
        assert r.status_code == 400, r.text
        assert r.json()["field"] == "permissions"
        assert r.json()["errors"][0].startswith('these credentials may not call kms:Encrypt on "alias/setup"')
    finally:
        moto.stop()


def test_a_table_with_another_key_schema_is_refused_at_the_table_field(servers, tmp_path, moto):
    moto.dynamodb().create_table(
        TableName="other-schema",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    server, _ = setup_server(servers, tmp_path)
    body = {"type": "dynamodb", "region": "us-east-1", "endpoint": moto.endpoint, "table": "other-schema",
            "access_key": "test", "secret_key": "test"}
    for path in ("sys/setup/storage/test", "sys/setup/storage/create-table"):
        r = server.request("POST", path, body=body)
        assert r.status_code == 400, r.text
        assert r.json()["field"] == "table"
        assert "key schema" in r.json()["errors"][0]
    # Create table left the table as it was.
    assert moto.dynamodb().describe_table(TableName="other-schema")["Table"]["KeySchema"] == [
        {"AttributeName": "id", "KeyType": "HASH"}]


def test_setup_mode_then_configured(servers, tmp_path):
    server, config = setup_server(servers, tmp_path)
    status = server.request("GET", "sys/setup").json()
    assert status == {"configured": False, "config_path": str(config),
                      "local_path": str(config.parent / "strongroom.db"), "keychain": False}
    # Everything else waits for setup.
    r = server.request("GET", "sys/seal-status")
    assert r.status_code == 503 and "not set up yet" in r.json()["errors"][0]
    # The UI is served, and / leads to it.
    page = requests.get(f"{server.addr}/ui/", timeout=5)
    assert page.status_code == 200 and "<div id=\"root\">" in page.text
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert requests.get(f"{server.addr}/", allow_redirects=False, timeout=5).headers["Location"] == "/ui/"

    # Bad input: clear 400s, nothing written.
    for raw, message in [("[1]", "the request body must be a JSON object"), ("{", "failed to parse JSON input")]:
        r = server.request("POST", "sys/setup/config", raw=raw)
        assert r.status_code == 400 and r.json()["errors"][0].startswith(message), r.text
    r = server.request("POST", "sys/setup/config", body={"storage": {"type": "local"}, "seal": {"type": "shamir"},
                                                         "dry_run": "yes"})
    assert r.json() == {"errors": ["dry_run must be a boolean"], "field": "dry_run"}
    r = server.request("POST", "sys/setup/config", body={"storage": {"type": "local", "pth": "x"},
                                                         "seal": {"type": "shamir"}})
    assert r.status_code == 400 and r.json()["field"] == "storage.pth", r.text
    assert not config.exists()
    # PUT works as POST does (as in Vault); other methods are Vault's 405.
    r = server.request("PUT", "sys/setup/config", body={"storage": {"type": "local"}, "seal": {"type": "shamir"},
                                                        "dry_run": True})
    assert r.status_code == 200 and 'storage "local"' in r.json()["hcl"], r.text
    assert not config.exists(), "a dry run writes nothing"
    r = server.request("DELETE", "sys/setup/config")
    assert r.status_code == 405 and r.json() == {"errors": ["unsupported operation"]}

    r = server.request("POST", "sys/setup/config", body={"storage": {"type": "local"}, "seal": {"type": "shamir"}})
    assert r.status_code == 200, r.text
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    text = config.read_text()
    assert 'storage "local"' in text and "ui = true" in text and server.addr.split("//")[1] in text

    # Now a Vault: init works, setup is closed and no longer shows paths.
    r = server.request("PUT", "sys/init", body={"secret_shares": 1, "secret_threshold": 1})
    assert r.status_code == 200 and len(r.json()["keys"]) == 1
    assert server.request("GET", "sys/setup").json() == {
        "configured": True, "config_path": None, "local_path": None, "keychain": False}
    r = server.request("POST", "sys/setup/storage/test", body={"type": "local"})
    assert r.status_code == 400 and "already configured" in r.json()["errors"][0]

    # A restart reads the written config: same listener, the UI still served.
    assert server.stop() == 0
    server.start(ready="sys/health?uninitcode=200&sealedcode=200")
    assert server.request("GET", "sys/seal-status").json()["initialized"] is True
    assert requests.get(f"{server.addr}/ui/", timeout=5).status_code == 200
