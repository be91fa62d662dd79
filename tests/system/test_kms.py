"""The AWS KMS seal (`seal "awskms"`) against moto_server: init with recovery shares,
auto-unseal at start, re-wrapping after the key's alias moved, seal migration both ways, KMS
outages and refusals (the node stays up and sealed, says why, and unseals by itself once KMS
answers), the CLIs (bao, hvac) and `sys/seal/awskms`. Storage is DynamoDB in the same moto,
so the stored seal records can be read back from the table."""

import base64
import json
import subprocess
import time

import hvac
import pytest
import requests

from conftest import BIN, Moto, dynamodb_config, free_port, init_and_unseal, local_config, wait_for

ALIAS = "alias/strongroom"


# --- configuration ------------------------------------------------------------------------
def awskms_block(endpoint, key_id=ALIAS, disabled=False):
    return f"""
seal "awskms" {{
  kms_key_id = "{key_id}"
  region     = "us-east-1"
  endpoint   = "{endpoint}"
  access_key = "test"
  secret_key = "test"
{'  disabled   = "true"' if disabled else ''}
}}
"""


NO_MIGRATE = "migrate option not provided and seal migration is pending"
SHAMIR_DISABLED = '\nseal "shamir" {\n  disabled = "true"\n}\n'


def on_dynamodb(moto, table):
    return lambda workdir, port: dynamodb_config(workdir, port, moto.endpoint, table)


def with_seals(storage, seals):
    """A `config(workdir, port)` callable: `storage`'s config followed by `seals`."""

    def write(workdir, port):
        path = storage(workdir, port)
        path.write_text(path.read_text() + seals)
        return path

    return write


def reconfigure(server, moto, table, seals):
    """Rewrites a stopped server's config file in place (same port and path)."""
    with_seals(on_dynamodb(moto, table), seals)(server.workdir, int(server.addr.rsplit(":", 1)[1]))


def kms_node(servers, moto, table, name="server"):
    """A started awskms node (alias/strongroom) on DynamoDB table `table`, both in `moto`."""
    return servers(config=with_seals(on_dynamodb(moto, table), awskms_block(moto.endpoint)), name=name).start()


def kms_key(moto, alias=ALIAS):
    kms = moto.kms()
    meta = kms.create_key(Description="strongroom seal")["KeyMetadata"]
    if alias:
        kms.create_alias(AliasName=alias, TargetKeyId=meta["KeyId"])
    return meta


# --- stored records -----------------------------------------------------------------------
def varint(buf, i):
    value = shift = 0
    while buf[i] & 0x80:
        value, i, shift = value | (buf[i] & 0x7F) << shift, i + 1, shift + 7
    return value | buf[i] << shift, i + 1


def proto_fields(buf):
    """The fields of a protobuf message as {number: [value, ...]} (varints and bytes only)."""
    fields, i = {}, 0
    while i < len(buf):
        tag, i = varint(buf, i)
        if tag & 7 == 0:
            value, i = varint(buf, i)
        elif tag & 7 == 2:
            size, i = varint(buf, i)
            value, i = bytes(buf[i : i + size]), i + size
        else:
            raise AssertionError(f"unexpected wire type {tag & 7}")
        fields.setdefault(tag >> 3, []).append(value)
    return fields


def blob_key(raw):
    """(mechanism, key_id) of a stored BlobInfo; None for a Shamir blob (no KeyInfo)."""
    blob = proto_fields(raw)
    assert blob[1][0], "no ciphertext"
    if 5 not in blob:
        return None
    info = proto_fields(blob[5][0])
    assert len(blob[2][0]) == 12 and len(info[5][0]) > 0, "no IV or no wrapped data key"
    return info[1][0], info[3][0].decode()


def stored(moto, table, path):
    """The raw value at `path` in the table (Vault's layout: Path = folder, Key = name)."""
    folder, _, key = path.rpartition("/")
    key_attrs = {"Path": {"S": folder}, "Key": {"S": key}}
    item = moto.dynamodb().get_item(TableName=table, Key=key_attrs, ConsistentRead=True).get("Item")
    return item["Value"]["B"] if item else None


# --- node helpers -------------------------------------------------------------------------
def status(server):
    return server.request("GET", "sys/seal-status").json()


def expect(status_body, **fields):
    assert {k: status_body.get(k) for k in fields} == fields, status_body


def wait_unsealed(server, timeout=10):
    assert wait_for(lambda: not status(server)["sealed"], timeout), status(server)


def init_kms(server, shares=3, threshold=2):
    """Initializes an awskms node; returns (recovery keys, root token)."""
    r = server.request("PUT", "sys/init", body={"recovery_shares": shares, "recovery_threshold": threshold})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["keys"] == [] and body["keys_base64"] == []
    assert len(body["recovery_keys"]) == shares and len(body["recovery_keys_base64"]) == shares
    return body["recovery_keys"], body["root_token"]


def write_data(server, root):
    assert server.request("POST", "sys/mounts/kv", token=root, body={"type": "kv"}).status_code == 204
    assert server.request("PUT", "kv/x", token=root, body={"v": "before"}).status_code == 204


def assert_data(server, root):
    r = server.request("GET", "kv/x", token=root)
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {"v": "before"}


def unseal(server, keys, migrate=False):
    for key in keys:
        r = server.request("PUT", "sys/unseal", body={"key": key, **({"migrate": True} if migrate else {})})
        assert r.status_code == 200, r.text
    return r.json()


def assert_error(response, code, message):
    """The exact status and Vault's `{"errors": [message]}` body."""
    assert (response.status_code, response.json()) == (code, {"errors": [message]})


def assert_refused_while_sealed(server, root):
    assert_error(server.request("GET", "kv/x", token=root), 503, "Vault is sealed")


def bao_json(server, command, *args, token=None):
    """`bao COMMAND -format=json ARGS...`, which must succeed; its JSON output."""
    return json.loads(server.bao(*command, "-format=json", *args, token=token, check=True).stdout)


def assert_blobs_on(moto, table, arn):
    assert blob_key(stored(moto, table, "core/hsm/barrier-unseal-keys")) == (1, arn)
    assert blob_key(stored(moto, table, "core/recovery-key")) == (1, arn)


# --- tests --------------------------------------------------------------------------------
def test_init_auto_unseal_seal_and_unseal_with_recovery_shares(servers, moto):
    """Init answers recovery shares and no unseal keys and leaves the node unsealed; both
    stored blobs are envelope-encrypted under the key ARN the alias names; a restart unseals
    by itself; after sys/seal the node stays sealed until recovery shares are entered."""
    key = kms_key(moto)
    table = "init"
    server = kms_node(servers, moto, table)
    expect(status(server), type="awskms", initialized=False, sealed=True, t=0, n=0, migration=False,
           recovery_seal=True, recovery_seal_type="shamir", auto_unseal_error=None)

    r = server.request("PUT", "sys/init", body={"secret_shares": 3, "secret_threshold": 2})
    assert_error(r, 400, "parameters secret_shares,secret_threshold not applicable to seal type awskms")
    keys, root = init_kms(server)
    assert all(len(k) == 66 for k in keys)
    expect(status(server), type="awskms", initialized=True, sealed=False, t=2, n=3, recovery_seal=True)
    assert_blobs_on(moto, table, key["Arn"])
    assert json.loads(stored(moto, table, "core/seal-config"))["type"] == "awskms"
    recovery = json.loads(stored(moto, table, "core/recovery-config"))
    assert (recovery["type"], recovery["secret_shares"], recovery["secret_threshold"]) == ("shamir", 3, 2)
    write_data(server, root)

    assert server.stop() == 0
    server.start()
    wait_unsealed(server)
    assert "vault is unsealed (awskms)" in server.stderr() and key["Arn"] in server.stderr()
    expect(status(server), sealed=False, t=2, n=3, auto_unseal_error=None, auto_unseal_next_attempt=None)
    assert_data(server, root)

    assert server.request("PUT", "sys/seal", token=root).status_code == 204
    assert wait_for(lambda: not status(server)["sealed"], 2) is None, "unsealed by itself after sys/seal"
    expect(status(server), sealed=True, t=2, n=3, progress=0, auto_unseal_error=None)
    assert_refused_while_sealed(server, root)
    first = unseal(server, keys[:1])
    assert (first["sealed"], first["progress"]) == (True, 1)
    assert unseal(server, keys[1:2])["sealed"] is False
    assert_data(server, root)


def test_alias_moved_to_a_new_key_rewraps_the_stored_keys(servers, moto):
    """With the alias pointed at a second key, the next unseal re-wraps the stored keys and
    the recovery key under key 2; with key 1 then disabled the node still unseals by itself
    (one DescribeKey, one Decrypt, nothing re-encrypted)."""
    key1 = kms_key(moto)
    table = "rotate"
    server = kms_node(servers, moto, table)
    _, root = init_kms(server)
    write_data(server, root)
    assert_blobs_on(moto, table, key1["Arn"])
    assert server.stop() == 0

    key2 = kms_key(moto, alias=None)
    moto.kms().update_alias(AliasName=ALIAS, TargetKeyId=key2["KeyId"])
    server.start()
    wait_unsealed(server)
    assert wait_for(lambda: "recovery key re-wrapped" in server.stderr(), 5), server.stderr()
    assert "stored keys re-wrapped with the current KMS key" in server.stderr()
    assert_blobs_on(moto, table, key2["Arn"])
    assert_data(server, root)
    assert server.stop() == 0

    moto.kms().disable_key(KeyId=key1["KeyId"])
    server.start()
    wait_unsealed(server)
    assert_data(server, root)
    assert_blobs_on(moto, table, key2["Arn"])
    data = server.request("GET", "sys/seal/awskms", token=root).json()["data"]
    assert data["key"]["arn"] == key2["Arn"] and data["key"]["key_state"] == "Enabled"
    # The unseal's DescribeKey and Decrypt, then this request's DescribeKey.
    assert data["calls"] == {"encrypt": 0, "decrypt": 1, "describe_key": 2}
    assert "re-wrapped" not in server.stderr()


@pytest.mark.parametrize("shamir_block", [False, True], ids=["implicit", "disabled-shamir-block"])
def test_migration_from_shamir_to_awskms(servers, moto, shamir_block):
    """Stored Shamir keys and a configured awskms seal: migration pending; unsealing needs
    `migrate` and the old unseal shares, which become the recovery shares; the stored keys
    move under the KMS key and later starts unseal by themselves."""
    key = kms_key(moto)
    table = "toawskms"
    server = servers(config=on_dynamodb(moto, table)).start()
    keys, root = init_and_unseal(server, shares=3, threshold=2)
    write_data(server, root)
    assert blob_key(stored(moto, table, "core/hsm/barrier-unseal-keys")) is None
    assert server.stop() == 0

    seals = awskms_block(moto.endpoint) + (SHAMIR_DISABLED if shamir_block else "")
    reconfigure(server, moto, table, seals)
    server.start()
    pending = "seal migration is pending: unseal with the old seal's keys and migrate=true"
    assert wait_for(lambda: status(server).get("auto_unseal_error"), 5) == pending
    expect(status(server), type="awskms", sealed=True, migration=True, t=2, n=3, recovery_seal=True,
           auto_unseal_next_attempt=None)
    assert "entering seal migration mode" in server.stderr()
    assert_error(server.request("PUT", "sys/unseal", body={"key": keys[0]}), 400, NO_MIGRATE)
    result = unseal(server, keys[1:3], migrate=True)
    assert (result["sealed"], result["type"], result["migration"]) == (False, "awskms", False)
    assert (result["t"], result["n"]) == (2, 3)
    assert json.loads(stored(moto, table, "core/seal-config"))["type"] == "awskms"
    recovery = json.loads(stored(moto, table, "core/recovery-config"))
    assert (recovery["secret_shares"], recovery["secret_threshold"]) == (3, 2)
    assert_blobs_on(moto, table, key["Arn"])
    assert_data(server, root)
    assert server.stop() == 0

    reconfigure(server, moto, table, awskms_block(moto.endpoint))
    server.start()
    wait_unsealed(server)
    assert_data(server, root)
    # The old unseal shares are the recovery shares now.
    assert server.request("PUT", "sys/seal", token=root).status_code == 204
    r = server.request("PUT", "sys/unseal", body={"key": keys[0], "migrate": True})
    assert_error(r, 400, "can't perform a seal migration, no migration seal found")
    assert unseal(server, [keys[0], keys[2]])["sealed"] is False
    assert_data(server, root)


def test_migration_from_awskms_to_shamir(servers, moto):
    """A disabled awskms block alone migrates back to Shamir: the recovery shares (5/3 by
    default) become the unseal shares, the recovery key and its configuration are deleted,
    and a node with no seal block then starts sealed and unseals with those shares."""
    kms_key(moto)
    table = "toshamir"
    server = kms_node(servers, moto, table)
    r = server.request("PUT", "sys/init", body={})
    assert r.status_code == 200, r.text
    keys, root = r.json()["recovery_keys"], r.json()["root_token"]
    assert len(keys) == 5
    write_data(server, root)
    assert server.stop() == 0

    reconfigure(server, moto, table, awskms_block(moto.endpoint, disabled=True))
    server.start()
    expect(status(server), type="shamir", sealed=True, migration=True, t=3, n=5, recovery_seal=False)
    assert_error(server.request("PUT", "sys/unseal", body={"key": keys[0]}), 400, NO_MIGRATE)
    result = unseal(server, keys[2:5], migrate=True)
    assert (result["sealed"], result["type"], result["migration"], result["t"], result["n"]) == (
        False, "shamir", False, 3, 5)
    config = json.loads(stored(moto, table, "core/seal-config"))
    assert (config["type"], config["secret_shares"], config["secret_threshold"]) == ("shamir", 5, 3)
    assert blob_key(stored(moto, table, "core/hsm/barrier-unseal-keys")) is None
    assert stored(moto, table, "core/recovery-key") is None
    assert stored(moto, table, "core/recovery-config") is None
    assert_data(server, root)
    assert server.stop() == 0

    reconfigure(server, moto, table, "")
    server.start()
    expect(status(server), type="shamir", sealed=True, migration=False, t=3, n=5, recovery_seal=False)
    assert unseal(server, keys[:3])["sealed"] is False
    assert_data(server, root)


@pytest.fixture
def paused_kms(servers, tmp_path):
    """A node on local storage, initialized, with data, restarted while its KMS (a moto of
    its own, stopped by PID at the end) is paused: connections are accepted, never answered.
    Yields (server, kms moto, root token)."""
    kms_only = Moto(tmp_path, name="moto-kms")
    try:
        kms_key(kms_only)
        server = servers(config=with_seals(local_config, awskms_block(kms_only.endpoint))).start()
        _, root = init_kms(server)
        write_data(server, root)
        assert server.stop() == 0
        kms_only.pause()
        server.start(ready="sys/init")
        yield server, kms_only, root
    finally:
        kms_only.stop()


def test_unreachable_kms_keeps_the_node_up_sealed_and_retrying(paused_kms):
    """KMS not answering at start: the node stays up and sealed, seal-status says why in one
    line and when it retries, the log says `auto-unseal failed`; once KMS answers again the
    node unseals by itself."""
    server, kms_only, root = paused_kms
    error = wait_for(lambda: status(server).get("auto_unseal_error"), 30)
    assert error == "KMS DescribeKey failed: no answer from AWS KMS in time (request timed out)"
    body = status(server)
    expect(body, sealed=True, initialized=True, type="awskms", t=2, n=3)
    assert body["auto_unseal_next_attempt"].endswith("Z"), body
    assert f"auto-unseal failed: {error}" in server.stderr()
    time.sleep(3)
    assert server.proc.poll() is None and status(server)["sealed"] is True
    assert_refused_while_sealed(server, root)
    kms_only.resume()
    wait_unsealed(server, timeout=60)
    expect(status(server), sealed=False, auto_unseal_error=None, auto_unseal_next_attempt=None)
    assert_data(server, root)


def test_seal_status_answers_while_a_kms_request_hangs(paused_kms):
    """While an auto-unseal attempt waits on a KMS that does not answer (up to the 10 s
    operation timeout), `sys/seal-status` (what `bao status` and load balancers poll) still
    answers within a second, like `sys/health` and `sys/init` do."""
    server = paused_kms[0]
    slow = []
    for _ in range(6):
        started = time.monotonic()
        try:
            assert requests.get(f"{server.addr}/v1/sys/seal-status", timeout=3).json()["sealed"] is True
        except requests.Timeout:
            pass
        if time.monotonic() - started > 1:
            slow.append(round(time.monotonic() - started, 1))
        time.sleep(0.5)
    assert slow == [], f"seal-status took {slow} s (3 s = client timeout) while KMS hung"


def test_disabled_key_keeps_the_node_sealed_until_enabled(servers, moto):
    """A disabled key: sealed, the reason names the key ARN and `Disabled`; enabling the key
    lets the node unseal by itself at its next attempt."""
    key = kms_key(moto)
    server = kms_node(servers, moto, "disabled")
    _, root = init_kms(server)
    write_data(server, root)
    assert server.stop() == 0

    moto.kms().disable_key(KeyId=key["KeyId"])
    server.start()
    error = wait_for(lambda: status(server).get("auto_unseal_error"), 10)
    assert error == (f"KMS DescribeKey failed: KMS key {key['Arn']} is Disabled, not Enabled: enable it "
                     f"(or point {ALIAS} at an enabled key)")
    assert f"auto-unseal failed: {error}" in server.stderr()
    time.sleep(2)
    assert status(server)["sealed"] is True
    moto.kms().enable_key(KeyId=key["KeyId"])
    wait_unsealed(server, timeout=15)
    assert_data(server, root)


NOT_FOUND = (
    "KMS DescribeKey failed: NotFoundException: Alias arn:aws:kms:us-east-1:123456789012:alias/nope "
    'is not found. (no KMS key "alias/nope" in this account and region (check kms_key_id and region))'
)


def test_unknown_key_fails_init_and_writes_nothing(servers, moto):
    """Init with an alias that does not exist: 500 naming NotFoundException and the alias;
    the node stays uninitialized and nothing is written to the table."""
    kms_key(moto)
    server = servers(config=with_seals(on_dynamodb(moto, "wrongkey"), awskms_block(moto.endpoint, "alias/nope")))
    server.start()
    r = server.request("PUT", "sys/init", body={"recovery_shares": 3, "recovery_threshold": 2})
    assert_error(r, 500, NOT_FOUND)
    assert server.request("GET", "sys/init").json() == {"initialized": False}
    assert moto.dynamodb().scan(TableName="wrongkey")["Items"] == []


@pytest.mark.parametrize("case", ["unknown-alias", "refused"])
def test_bad_kms_setting_after_init_keeps_the_node_sealed(servers, moto, case):
    """Restarted with an alias that does not exist, or an endpoint nobody listens on: the
    node stays up and sealed, and says why in one line (seal-status and log)."""
    kms_key(moto)
    table = f"bad-{case}"
    server = kms_node(servers, moto, table)
    init_kms(server)
    assert server.stop() == 0
    dead = f"http://127.0.0.1:{free_port()}"
    reconfigure(server, moto, table, awskms_block(moto.endpoint, "alias/nope") if case == "unknown-alias" else
                awskms_block(dead))
    server.start(ready="sys/init")
    error = wait_for(lambda: status(server).get("auto_unseal_error"), 15)
    if case == "unknown-alias":
        assert error == NOT_FOUND
    else:
        assert error.startswith("KMS DescribeKey failed: cannot reach AWS KMS: ") and "\n" not in error, error
        assert "Connection refused" in error
    assert f"auto-unseal failed: {error}" in server.stderr()
    expect(status(server), sealed=True, initialized=True, type="awskms")
    assert server.proc.poll() is None


def test_bao_cli_init_status_and_generate_root(servers, moto):
    """`bao operator init` with recovery shares, `bao status` showing the awskms seal, and
    `bao operator generate-root` end to end with recovery shares: the new token is root."""
    kms_key(moto)
    server = kms_node(servers, moto, "cli")
    init = bao_json(server, ["operator", "init"], "-recovery-shares=3", "-recovery-threshold=2")
    keys, root = init["recovery_keys_b64"], init["root_token"]
    assert (init["unseal_keys_b64"], init["unseal_keys_hex"], len(keys), len(init["recovery_keys_hex"])) == (
        [], [], 3, 3)
    assert (init["recovery_keys_shares"], init["recovery_keys_threshold"]) == (3, 2)
    expect(bao_json(server, ["status"]), type="awskms", sealed=False, t=2, n=3, recovery_seal=True,
           recovery_seal_type="shamir")
    lines = server.bao("status").stdout.splitlines()
    assert "Seal Type                awskms" in lines and "Total Recovery Shares    3" in lines

    attempt = bao_json(server, ["operator", "generate-root"], "-init", token=root)
    assert (attempt["started"], attempt["required"], attempt["otp_length"]) == (True, 2, 28)
    for key in keys[1:3]:
        update = bao_json(server, ["operator", "generate-root"], f"-nonce={attempt['nonce']}", key, token=root)
    assert (update["progress"], update["complete"]) == (2, True)
    decode = [f"-decode={update['encoded_token']}", f"-otp={attempt['otp']}"]
    new_token = bao_json(server, ["operator", "generate-root"], *decode, token=root)["token"]
    assert new_token != root
    assert bao_json(server, ["token", "lookup"], token=new_token)["data"]["policies"] == ["root"]


def test_generate_root_with_hvac_and_wrong_recovery_shares(servers, moto):
    """hvac's unauthenticated sys/generate-root flow with recovery shares yields a root
    token; shares of another node's recovery key abort the attempt with a 400 naming the
    recovery key verification."""
    kms_key(moto)
    server = kms_node(servers, moto, "genroot")
    keys, _ = init_kms(server)
    wrong, _ = init_kms(kms_node(servers, moto, "genroot2", name="other"))

    client = hvac.Client(url=server.addr)
    attempt = client.sys.start_root_token_generation()
    assert server.request("PUT", "sys/generate-root/update", body={"key": wrong[0], "nonce": attempt["nonce"]}).ok
    r = server.request("PUT", "sys/generate-root/update", body={"key": wrong[1], "nonce": attempt["nonce"]})
    assert_error(r, 400, "root generation aborted: unable to authenticate: recovery key verification failed: "
                 "recovery key does not match submitted values")
    progress = client.sys.read_root_generation_progress()
    assert (progress["started"], progress["progress"], progress["nonce"]) == (True, 0, attempt["nonce"])

    for key in keys[:2]:
        result = client.sys.generate_root(key=key, nonce=attempt["nonce"])
    assert result["complete"] is True
    encoded = base64.b64decode(result["encoded_token"] + "==")
    token = bytes(a ^ b for a, b in zip(encoded, attempt["otp"].encode())).decode()
    assert hvac.Client(url=server.addr, token=token).auth.token.lookup_self()["data"]["policies"] == ["root"]


def test_sys_seal_awskms_and_config_errors(servers, moto, tmp_path):
    """`sys/seal/awskms` describes the key and counts KMS calls; its policy endpoint grants
    the key's ARN Encrypt/Decrypt/DescribeKey; a Shamir node answers 400; a block without a
    key id (or with a bare alias name) stops the server at start naming the setting."""
    key = kms_key(moto)
    server = kms_node(servers, moto, "sealapi")
    _, root = init_kms(server)
    assert_error(server.request("GET", "sys/seal/awskms"), 403, "permission denied")
    data = server.request("GET", "sys/seal/awskms", token=root).json()["data"]
    assert (data["type"], data["kms_key_id"], data["region"], data["endpoint"]) == (
        "awskms", ALIAS, "us-east-1", moto.endpoint)
    assert data["key"] == {"arn": key["Arn"], "key_id": key["KeyId"], "key_state": "Enabled",
                           "key_manager": "CUSTOMER", "description": "strongroom seal"}
    # Init: one DescribeKey, two Encrypts (stored keys, recovery key); then this request's.
    assert data["calls"] == {"encrypt": 2, "decrypt": 0, "describe_key": 2}

    role = "arn:aws:iam::123456789012:role/strongroom"
    policy = server.request("GET", f"sys/seal/awskms/policy?key_users={role}", token=root).json()["data"]
    actions = ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]
    assert policy["key_arn"] == key["Arn"]
    assert policy["iam_policy"]["Statement"] == [
        {"Sid": "StrongroomSeal", "Effect": "Allow", "Resource": key["Arn"], "Action": actions}]
    assert policy["key_policy"]["Statement"][1] == {"Sid": "StrongroomSealUsers", "Effect": "Allow",
                                                    "Principal": {"AWS": [role]}, "Resource": "*", "Action": actions}

    shamir = servers(name="shamir").start()
    _, shamir_root = init_and_unseal(shamir, shares=1, threshold=1)
    r = shamir.request("GET", "sys/seal/awskms", token=shamir_root)
    assert_error(r, 400, 'this node\'s seal is "shamir", not awskms: there is no KMS key to describe')

    bad = tmp_path / "bad.hcl"
    for block, message in [
        ("{}", ':2: seal "awskms": kms_key_id: is required: the id, ARN or alias/NAME of the KMS key '
               "(or set VAULT_AWSKMS_SEAL_KEY_ID)"),
        ('{\n  kms_key_id = "strongroom"\n}', ':3: seal "awskms": kms_key_id: "strongroom" is not a KMS '
                                              "key id, key ARN or alias (aliases are written alias/NAME)"),
    ]:
        bad.write_text(f'storage "inmem" {{}}\nseal "awskms" {block}\n')
        out = subprocess.run([str(BIN), "server", f"-config={bad}"], capture_output=True, text=True, timeout=30,
                             env={"PATH": "/usr/bin:/bin"})
        assert (out.returncode, out.stderr.strip()) == (1, f"Error loading configuration: {bad}{message}")


def test_environment_configures_the_seal(servers, moto, monkeypatch):
    """VAULT_AWSKMS_SEAL_KEY_ID and AWS_KMS_ENDPOINT beat the file's kms_key_id and endpoint;
    VAULT_SEAL_TYPE=awskms turns the seal on without any seal block."""
    key = kms_key(moto)
    monkeypatch.setenv("VAULT_AWSKMS_SEAL_KEY_ID", ALIAS)
    monkeypatch.setenv("AWS_KMS_ENDPOINT", moto.endpoint)
    dead = f"http://127.0.0.1:{free_port()}"
    server = servers(config=with_seals(on_dynamodb(moto, "envkms"), awskms_block(dead, "alias/nope"))).start()
    _, root = init_kms(server)
    data = server.request("GET", "sys/seal/awskms", token=root).json()["data"]
    assert (data["kms_key_id"], data["endpoint"], data["key"]["arn"]) == (ALIAS, moto.endpoint, key["Arn"])

    for name, value in dict(VAULT_SEAL_TYPE="awskms", AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID="test",
                            AWS_SECRET_ACCESS_KEY="test").items():
        monkeypatch.setenv(name, value)
    bare = servers(name="bare", config=on_dynamodb(moto, "envkms2")).start()
    expect(status(bare), type="awskms", recovery_seal=True, initialized=False)
    _, root = init_kms(bare)
    assert_blobs_on(moto, "envkms2", key["Arn"])


def test_strongroom_kms_cli_describes_the_key_and_prints_its_policies(moto, tmp_path):
    """`strongroom kms describe|policy -config=FILE` work without a server: the key the alias
    names now (its ARN and state), and the IAM and key policies for that ARN, key users apart
    from key admins (the account root by default); a config without an awskms seal and a
    principal that is not an IAM ARN are errors that say so."""
    key = kms_key(moto)
    config = tmp_path / "server.hcl"
    config.write_text('storage "inmem" {}\n' + awskms_block(moto.endpoint))

    def cli(*args):
        out = subprocess.run([str(BIN), "kms", *args, f"-config={config}"], capture_output=True,
                             text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
        return out.returncode, out.stdout, out.stderr.strip()

    code, stdout, _ = cli("describe")
    described = json.loads(stdout)
    assert code == 0
    assert (described["kms_key_id"], described["key"]["arn"], described["key"]["key_state"]) == (
        ALIAS, key["Arn"], "Enabled")

    user = "arn:aws:iam::123456789012:role/strongroom"
    admin = "arn:aws:iam::123456789012:role/kms-admins"
    code, stdout, _ = cli("policy", f"-key-user={user}", f"-key-admin={admin}")
    documents = json.loads(stdout)
    assert code == 0 and documents["key_arn"] == key["Arn"]
    admins, users = documents["key_policy"]["Statement"]
    assert (admins["Principal"], users["Principal"]) == ({"AWS": [admin]}, {"AWS": [user]})
    assert users["Action"] == ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]
    assert not {"kms:Encrypt", "kms:Decrypt"} & set(admins["Action"])

    code, stdout, _ = cli("policy")
    assert code == 0 and json.loads(stdout)["key_policy"] is None

    assert cli("policy", "-key-user=strongroom")[0::2] == (
        1, 'Error: "strongroom" is not an IAM principal ARN (arn:aws:iam::ACCOUNT:role/NAME, user/NAME or root)')
    config.write_text('storage "inmem" {}\n')
    assert cli("describe")[0::2] == (1, f'Error: {config} has no seal "awskms" block')
