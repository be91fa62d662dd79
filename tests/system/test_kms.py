"""The AWS KMS seal (`seal "awskms"`) against moto_server: init with recovery shares,
auto-unseal at start, re-wrapping after the key's alias moved, seal migration both ways, KMS
outages and refusals (the node stays up and sealed, says why, and unseals by itself once KMS
answers), the CLIs (bao, hvac) and `sys/seal/awskms`. Storage is DynamoDB in the same moto,
so the stored seal records can be read back from the table."""

import json
import subprocess
import time

import hvac
import pytest

from conftest import BIN, Moto, dynamodb_config, init_and_unseal, local_config

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


def reconfigure(server, storage, seals):
    """Rewrites a stopped server's config file in place (same port and path)."""
    with_seals(storage, seals)(server.workdir, int(server.addr.rsplit(":", 1)[1]))


def kms_key(moto, alias=ALIAS):
    kms = moto.kms()
    meta = kms.create_key(Description="strongroom seal")["KeyMetadata"]
    if alias:
        kms.create_alias(AliasName=alias, TargetKeyId=meta["KeyId"])
    return meta


# --- stored records -----------------------------------------------------------------------
def varint(buf, i):
    value = shift = 0
    while True:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


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


def stored_json(moto, table, path):
    return json.loads(stored(moto, table, path))


# --- node helpers -------------------------------------------------------------------------
def wait_for(predicate, timeout, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


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
    for i, key in enumerate(keys):
        body = {"key": key, "migrate": True} if migrate else {"key": key}
        r = server.request("PUT", "sys/unseal", body=body)
        assert r.status_code == 200, r.text
    return r.json()


def assert_blobs_on(moto, table, arn):
    assert blob_key(stored(moto, table, "core/hsm/barrier-unseal-keys")) == (1, arn)
    assert blob_key(stored(moto, table, "core/recovery-key")) == (1, arn)


# --- tests --------------------------------------------------------------------------------
def test_init_auto_unseal_seal_and_unseal_with_recovery_shares(servers, moto):
    """Init answers recovery shares and no unseal keys and leaves the node unsealed; both
    stored blobs are envelope-encrypted under the key ARN the alias names; a restart unseals
    by itself; after sys/seal the node stays sealed until recovery shares are entered."""
    key = kms_key(moto)
    storage = on_dynamodb(moto, "init")
    server = servers(config=with_seals(storage, awskms_block(moto.endpoint))).start()
    expect(status(server), type="awskms", initialized=False, sealed=True, t=0, n=0, migration=False,
           recovery_seal=True, recovery_seal_type="shamir", auto_unseal_error=None)

    r = server.request("PUT", "sys/init", body={"secret_shares": 3, "secret_threshold": 2})
    assert r.status_code == 400
    assert r.json() == {"errors": ["parameters secret_shares,secret_threshold not applicable to seal type awskms"]}
    keys, root = init_kms(server)
    assert all(len(k) == 66 for k in keys)
    expect(status(server), type="awskms", initialized=True, sealed=False, t=2, n=3, recovery_seal=True)
    assert_blobs_on(moto, "init", key["Arn"])
    assert stored_json(moto, "init", "core/seal-config")["type"] == "awskms"
    recovery = stored_json(moto, "init", "core/recovery-config")
    assert (recovery["type"], recovery["secret_shares"], recovery["secret_threshold"]) == ("shamir", 3, 2)
    write_data(server, root)

    assert server.stop() == 0
    server.start()
    wait_unsealed(server)
    assert "vault is unsealed (awskms)" in server.stderr() and key["Arn"] in server.stderr()
    expect(status(server), sealed=False, t=2, n=3, auto_unseal_error=None, auto_unseal_next_attempt=None)
    assert_data(server, root)

    assert server.request("PUT", "sys/seal", token=root).status_code == 204
    time.sleep(2)
    expect(status(server), sealed=True, t=2, n=3, progress=0)
    assert server.request("GET", "kv/x", token=root).status_code == 503
    first = unseal(server, keys[:1])
    assert (first["sealed"], first["progress"]) == (True, 1)
    assert unseal(server, keys[1:2])["sealed"] is False
    assert_data(server, root)


def test_alias_moved_to_a_new_key_rewraps_the_stored_keys(servers, moto):
    """With the alias pointed at a second key, the next unseal re-wraps the stored keys and
    the recovery key under key 2; with key 1 then disabled the node still unseals by itself
    (one DescribeKey, one Decrypt, nothing re-encrypted)."""
    key1 = kms_key(moto)
    storage = on_dynamodb(moto, "rotate")
    server = servers(config=with_seals(storage, awskms_block(moto.endpoint))).start()
    keys, root = init_kms(server)
    write_data(server, root)
    assert_blobs_on(moto, "rotate", key1["Arn"])
    assert server.stop() == 0

    key2 = kms_key(moto, alias=None)
    moto.kms().update_alias(AliasName=ALIAS, TargetKeyId=key2["KeyId"])
    server.start()
    wait_unsealed(server)
    assert wait_for(lambda: "recovery key re-wrapped" in server.stderr(), 5), server.stderr()
    assert "stored keys re-wrapped with the current KMS key" in server.stderr()
    assert_blobs_on(moto, "rotate", key2["Arn"])
    assert_data(server, root)
    assert server.stop() == 0

    moto.kms().disable_key(KeyId=key1["KeyId"])
    server.start()
    wait_unsealed(server)
    assert_data(server, root)
    assert_blobs_on(moto, "rotate", key2["Arn"])
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
    storage = on_dynamodb(moto, "toawskms")
    server = servers(config=on_dynamodb(moto, "toawskms")).start()
    keys, root = init_and_unseal(server, shares=3, threshold=2)
    write_data(server, root)
    assert blob_key(stored(moto, "toawskms", "core/hsm/barrier-unseal-keys")) is None
    assert server.stop() == 0

    seals = awskms_block(moto.endpoint) + (SHAMIR_DISABLED if shamir_block else "")
    reconfigure(server, storage, seals)
    server.start()
    time.sleep(1)
    expect(status(server), type="awskms", sealed=True, migration=True, t=2, n=3, recovery_seal=True)
    r = server.request("PUT", "sys/unseal", body={"key": keys[0]})
    assert r.status_code == 400
    assert r.json() == {"errors": ["migrate option not provided and seal migration is pending"]}
    result = unseal(server, keys[1:3], migrate=True)
    assert (result["sealed"], result["type"], result["migration"]) == (False, "awskms", False)
    assert (result["t"], result["n"]) == (2, 3)
    assert stored_json(moto, "toawskms", "core/seal-config")["type"] == "awskms"
    recovery = stored_json(moto, "toawskms", "core/recovery-config")
    assert (recovery["secret_shares"], recovery["secret_threshold"]) == (3, 2)
    assert_blobs_on(moto, "toawskms", key["Arn"])
    assert_data(server, root)
    assert server.stop() == 0

    reconfigure(server, storage, awskms_block(moto.endpoint))
    server.start()
    wait_unsealed(server)
    assert_data(server, root)
    # The old unseal shares are the recovery shares now.
    assert server.request("PUT", "sys/seal", token=root).status_code == 204
    r = server.request("PUT", "sys/unseal", body={"key": keys[0], "migrate": True})
    assert r.status_code == 400
    assert r.json() == {"errors": ["can't perform a seal migration, no migration seal found"]}
    assert unseal(server, [keys[0], keys[2]])["sealed"] is False
    assert_data(server, root)


def test_migration_from_awskms_to_shamir(servers, moto):
    """A disabled awskms block alone migrates back to Shamir: the recovery shares (5/3 by
    default) become the unseal shares, the recovery key is deleted, and a node with no seal
    block then starts sealed and unseals with those shares."""
    kms_key(moto)
    storage = on_dynamodb(moto, "toshamir")
    server = servers(config=with_seals(storage, awskms_block(moto.endpoint))).start()
    r = server.request("PUT", "sys/init", body={})
    assert r.status_code == 200, r.text
    keys, root = r.json()["recovery_keys"], r.json()["root_token"]
    assert len(keys) == 5
    write_data(server, root)
    assert server.stop() == 0

    reconfigure(server, storage, awskms_block(moto.endpoint, disabled=True))
    server.start()
    expect(status(server), type="shamir", sealed=True, migration=True, t=3, n=5, recovery_seal=False)
    r = server.request("PUT", "sys/unseal", body={"key": keys[0]})
    assert r.status_code == 400
    assert r.json() == {"errors": ["migrate option not provided and seal migration is pending"]}
    result = unseal(server, keys[2:5], migrate=True)
    assert (result["sealed"], result["type"], result["migration"], result["t"], result["n"]) == (
        False, "shamir", False, 3, 5)
    config = stored_json(moto, "toshamir", "core/seal-config")
    assert (config["type"], config["secret_shares"], config["secret_threshold"]) == ("shamir", 5, 3)
    assert blob_key(stored(moto, "toshamir", "core/hsm/barrier-unseal-keys")) is None
    assert stored(moto, "toshamir", "core/recovery-key") is None
    assert_data(server, root)
    assert server.stop() == 0

    reconfigure(server, storage, "")
    server.start()
    time.sleep(1)
    expect(status(server), type="shamir", sealed=True, migration=False, t=3, n=5, recovery_seal=False)
    assert unseal(server, keys[:3])["sealed"] is False
    assert_data(server, root)


def kms_behind_a_paused_moto(servers, tmp_path):
    """A node on local storage, initialized, with data, whose KMS (a moto of its own) is now
    paused: connections are accepted but never answered. Returns (server, moto, root)."""
    kms_only = Moto(tmp_path, name="moto-kms")
    kms_key(kms_only)
    server = servers(config=with_seals(local_config, awskms_block(kms_only.endpoint))).start()
    _, root = init_kms(server)
    write_data(server, root)
    assert server.stop() == 0
    kms_only.pause()
    server.start(ready="sys/init")
    return server, kms_only, root


def test_unreachable_kms_keeps_the_node_up_sealed_and_retrying(servers, tmp_path):
    """KMS not answering at start: the node stays up and sealed, seal-status says why in one
    line and when it retries, the log says `auto-unseal failed`; once KMS answers again the
    node unseals by itself."""
    server, kms_only, root = kms_behind_a_paused_moto(servers, tmp_path)
    try:
        error = wait_for(lambda: status(server).get("auto_unseal_error"), 30)
        assert error == "KMS DescribeKey failed: no answer from AWS KMS in time (request timed out)"
        body = status(server)
        expect(body, sealed=True, initialized=True, type="awskms", t=2, n=3)
        assert body["auto_unseal_next_attempt"].endswith("Z"), body
        assert f"auto-unseal failed: {error}" in server.stderr()
        time.sleep(3)
        assert server.proc.poll() is None and status(server)["sealed"] is True
        assert server.request("GET", "kv/x", token=root).status_code == 503
    finally:
        kms_only.resume()
    wait_unsealed(server, timeout=60)
    expect(status(server), sealed=False, auto_unseal_error=None, auto_unseal_next_attempt=None)
    assert_data(server, root)
    kms_only.stop()


def test_seal_status_answers_while_a_kms_request_hangs(servers, tmp_path):
    """While an auto-unseal attempt waits on a KMS that does not answer (up to the 10 s
    operation timeout), `sys/seal-status` (what `bao status` and load balancers poll) still
    answers at once."""
    server, kms_only, root = kms_behind_a_paused_moto(servers, tmp_path)
    try:
        slow = []
        for _ in range(8):
            started = time.monotonic()
            body = status(server)
            slow += [round(time.monotonic() - started, 1)] if time.monotonic() - started > 1 else []
            assert body["sealed"] is True
            time.sleep(0.5)
        assert slow == [], f"seal-status took {slow} s while KMS hung"
    finally:
        kms_only.resume()
        kms_only.stop()


def test_kms_endpoint_refusing_connections(servers, moto):
    """An endpoint nobody listens on: sealed, with `cannot reach AWS KMS` in one line."""
    kms_key(moto)
    storage = on_dynamodb(moto, "deadport")
    server = servers(config=with_seals(storage, awskms_block(moto.endpoint))).start()
    init_kms(server)
    assert server.stop() == 0
    from conftest import free_port

    reconfigure(server, storage, awskms_block(f"http://127.0.0.1:{free_port()}"))
    server.start()
    error = wait_for(lambda: status(server).get("auto_unseal_error"), 15)
    assert error.startswith("KMS DescribeKey failed: cannot reach AWS KMS") and "\n" not in error, error
    assert status(server)["sealed"] is True and server.proc.poll() is None


def test_disabled_key_keeps_the_node_sealed_until_enabled(servers, moto):
    """A disabled key: sealed, the reason names the key ARN and `Disabled`; enabling the key
    lets the node unseal by itself at its next attempt."""
    key = kms_key(moto)
    storage = on_dynamodb(moto, "disabled")
    server = servers(config=with_seals(storage, awskms_block(moto.endpoint))).start()
    keys, root = init_kms(server)
    write_data(server, root)
    assert server.stop() == 0

    moto.kms().disable_key(KeyId=key["KeyId"])
    server.start()
    error = wait_for(lambda: status(server).get("auto_unseal_error"), 10)
    assert error.startswith(f"KMS DescribeKey failed: KMS key {key['Arn']} is Disabled, not Enabled"), error
    assert "auto-unseal failed: KMS DescribeKey failed" in server.stderr()
    time.sleep(2)
    assert status(server)["sealed"] is True
    moto.kms().enable_key(KeyId=key["KeyId"])
    wait_unsealed(server, timeout=15)
    assert_data(server, root)


def test_unknown_key_fails_init_cleanly_and_keeps_a_node_sealed(servers, moto):
    """An alias that does not exist: init fails naming NotFoundException and writes nothing;
    a node initialized with a good key and restarted with a wrong one stays sealed, saying
    the key was not found."""
    kms_key(moto)
    server = servers(config=with_seals(on_dynamodb(moto, "wrongkey"), awskms_block(moto.endpoint, "alias/nope")))
    server.start()
    r = server.request("PUT", "sys/init", body={"recovery_shares": 3, "recovery_threshold": 2})
    assert r.status_code == 500, r.text
    [message] = r.json()["errors"]
    assert "NotFoundException" in message and "alias/nope" in message, message
    assert server.request("GET", "sys/init").json() == {"initialized": False}
    assert stored(moto, "wrongkey", "core/seal-config") is None
    assert stored(moto, "wrongkey", "core/hsm/barrier-unseal-keys") is None

    storage = on_dynamodb(moto, "wrongkey2")
    other = servers(config=with_seals(storage, awskms_block(moto.endpoint)), name="other").start()
    init_kms(other)
    assert other.stop() == 0
    reconfigure(other, storage, awskms_block(moto.endpoint, "alias/nope"))
    other.start()
    error = wait_for(lambda: status(other).get("auto_unseal_error"), 10)
    assert error.startswith("KMS DescribeKey failed: ") and "NotFoundException" in error, error
    assert status(other)["sealed"] is True


def test_bao_cli_init_status_and_generate_root(servers, moto):
    """`bao operator init` with recovery shares, `bao status`, and generate-root end to end
    with recovery shares, through bao and through hvac; wrong shares abort the attempt."""
    kms_key(moto)
    server = servers(config=with_seals(on_dynamodb(moto, "cli"), awskms_block(moto.endpoint))).start()
    out = server.bao("operator", "init", "-recovery-shares=3", "-recovery-threshold=2", "-format=json")
    assert out.returncode == 0, out.stderr
    init = json.loads(out.stdout)
    keys, root = init["recovery_keys_b64"], init["root_token"]
    assert init["unseal_keys_b64"] == [] and len(keys) == 3
    assert (init["recovery_keys_shares"], init["recovery_keys_threshold"]) == (3, 2)
    out = server.bao("status", "-format=json")
    assert out.returncode == 0, out.stderr
    bao_status = json.loads(out.stdout)
    assert (bao_status["type"], bao_status["sealed"], bao_status["recovery_seal"]) == ("awskms", False, True)
    assert "awskms" in server.bao("status").stdout

    start = json.loads(server.bao("operator", "generate-root", "-init", "-format=json", token=root, check=True).stdout)
    nonce, otp = start["nonce"], start["otp"]
    for key in keys[:2]:
        out = server.bao("operator", "generate-root", "-format=json", f"-nonce={nonce}", key, token=root, check=True)
    encoded = json.loads(out.stdout)["encoded_token"]
    out = server.bao("operator", "generate-root", f"-decode={encoded}", f"-otp={otp}", "-format=json", check=True)
    new_token = out.stdout.strip()
    if new_token.startswith("{"):
        new_token = json.loads(new_token)["token"]
    lookup = json.loads(server.bao("token", "lookup", "-format=json", token=new_token, check=True).stdout)
    assert lookup["data"]["policies"] == ["root"]

    client = hvac.Client(url=server.addr, token=root)
    attempt = client.sys.start_root_token_generation(otp=client.sys.generate_root_otp() if False else None)
    assert attempt["started"] is True


def test_wrong_recovery_shares_abort_generate_root(servers, moto):
    """Generate-root with a share from another init: 400 naming recovery key verification;
    hvac's unauthenticated sys/generate-root flow works with the right recovery shares."""
    kms_key(moto)
    server = servers(config=with_seals(on_dynamodb(moto, "genroot"), awskms_block(moto.endpoint))).start()
    keys, root = init_kms(server)
    other = servers(config=with_seals(on_dynamodb(moto, "genroot2"), awskms_block(moto.endpoint)), name="o")
    other.start()
    wrong, _ = init_kms(other)

    client = hvac.Client(url=server.addr)
    otp = "a" * 28
    nonce = client.sys.start_root_token_generation(otp=otp)["nonce"]
    r = server.request("PUT", "sys/generate-root/update", body={"key": wrong[0], "nonce": nonce})
    assert r.status_code == 200, r.text
    r = server.request("PUT", "sys/generate-root/update", body={"key": wrong[1], "nonce": nonce})
    assert r.status_code == 400
    assert r.json() == {"errors": [
        "root generation aborted: unable to authenticate: recovery key verification failed: "
        "recovery key does not match submitted values"]}

    nonce = client.sys.start_root_token_generation(otp=otp)["nonce"]
    for key in keys[:2]:
        result = client.sys.generate_root(key=key, nonce=nonce)
    assert result["complete"] is True
    import base64

    token = bytes(a ^ b for a, b in zip(base64.b64decode(result["encoded_root_token"] + "=="), otp.encode())).decode()
    assert hvac.Client(url=server.addr, token=token).lookup_token()["data"]["policies"] == ["root"]


def test_sys_seal_awskms_and_config_errors(servers, moto, tmp_path):
    """`sys/seal/awskms` describes the key and counts KMS calls; its policy endpoint names the
    key ARN; a Shamir node answers 400; `seal "awskms" {}` without a key id will not start."""
    key = kms_key(moto)
    server = servers(config=with_seals(on_dynamodb(moto, "sealapi"), awskms_block(moto.endpoint))).start()
    keys, root = init_kms(server)
    r = server.request("GET", "sys/seal/awskms", token=root)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert (data["type"], data["kms_key_id"], data["region"], data["endpoint"]) == (
        "awskms", ALIAS, "us-east-1", moto.endpoint)
    assert (data["key"]["arn"], data["key"]["key_id"], data["key"]["key_state"]) == (
        key["Arn"], key["KeyId"], "Enabled")
    print(data["calls"])
    role = "arn:aws:iam::123456789012:role/strongroom"
    r = server.request("GET", f"sys/seal/awskms/policy?key_users={role}", token=root)
    assert r.status_code == 200, r.text
    policy = r.json()["data"]
    assert policy["key_arn"] == key["Arn"]
    print(json.dumps(policy, indent=1))

    shamir = servers(name="shamir").start()
    _, shamir_root = init_and_unseal(shamir, shares=1, threshold=1)
    r = shamir.request("GET", "sys/seal/awskms", token=shamir_root)
    assert r.status_code == 400
    assert r.json() == {"errors": ['this node\'s seal is "shamir", not awskms: there is no KMS key to describe']}

    bad = tmp_path / "bad.hcl"
    bad.write_text('storage "inmem" {}\nseal "awskms" {}\n')
    out = subprocess.run([str(BIN), "server", f"-config={bad}"], capture_output=True, text=True, timeout=30)
    assert out.returncode != 0
    assert "kms_key_id: is required" in out.stderr, out.stderr
