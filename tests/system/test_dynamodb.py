"""Strongroom on DynamoDB storage (moto_server): restarts, HA failover with a history check
for two actives, fencing of a paused active node, and an outage of DynamoDB mid-workload."""

import threading
import time

import pytest

from conftest import dynamodb_config, init_and_unseal, wait_for


def on_dynamodb(moto, table, ha=False, extra=""):
    return lambda workdir, port: dynamodb_config(workdir, port, moto.endpoint, table, ha, extra)


def health(server):
    try:
        return server.request("GET", "sys/health").status_code
    except Exception:  # noqa: BLE001 - a dead or paused node answers nothing
        return None


def unseal(server, keys, threshold):
    for key in keys[:threshold]:
        r = server.request("PUT", "sys/unseal", body={"key": key})
        assert r.status_code == 200, r.text


def test_restart_on_dynamodb_keeps_data_in_vaults_layout(servers, moto):
    server = servers(config=on_dynamodb(moto, "restart"))
    server.start()
    keys, root = init_and_unseal(server, shares=3, threshold=2)
    server.bao("secrets", "enable", "-path=kv", "kv", token=root, check=True)
    server.bao("kv", "put", "kv/app/db", "password=s3cret", token=root, check=True)
    assert server.stop() == 0

    items = moto.dynamodb().scan(TableName="restart")["Items"]
    by_key = {(i["Path"]["S"], i["Key"]["S"]): i for i in items}
    # Vault's layout: the keyring at {core, keyring}, folders as items, top level under " ".
    assert "Value" in by_key[("core", "keyring")]
    assert ("core", "keyring") in by_key and (" ", "core/") in by_key
    assert (" ", "logical/") in by_key
    assert all("Value" not in i for (p, k), i in by_key.items() if k.endswith("/"))
    # Everything is ciphertext: the secret never appears in the table.
    assert b"s3cret" not in repr(items).encode()

    server.start()
    assert server.request("GET", "sys/seal-status").json()["sealed"] is True
    unseal(server, keys, 2)
    out = server.bao("kv", "get", "-field=password", "kv/app/db", token=root, check=True)
    assert out.stdout.strip() == "s3cret"
    status = server.request("GET", "sys/seal-status").json()
    assert status["storage_type"] == "dynamodb"


def start_cluster(servers, moto, table, count):
    nodes = [servers(config=on_dynamodb(moto, table, ha=True), name=f"node{i}") for i in range(count)]
    for node in nodes:
        node.start()
    keys, root = init_and_unseal(nodes[0], shares=1, threshold=1)
    for node in nodes[1:]:
        unseal(node, keys, 1)
    active = wait_for(lambda: next((n for n in nodes if health(n) == 200), None), 20)
    assert active is not None, "no node became active"
    return nodes, keys, root, active


def test_standbys_report_the_leader_and_redirect(servers, moto):
    nodes, keys, root, active = start_cluster(servers, moto, "ha-two", 2)
    standby = next(n for n in nodes if n is not active)
    assert health(standby) == 429
    body = standby.request("GET", "sys/health").json()
    assert body["standby"] is True and body["sealed"] is False
    # A standby learns the leader's address within a poll interval (1 s) of the takeover.
    leader = wait_for(
        lambda: (lambda b: b if b["leader_address"] else None)(standby.request("GET", "sys/leader").json()), 5
    )
    assert leader["ha_enabled"] is True and leader["is_self"] is False
    assert leader["leader_address"] == active.addr
    assert active.request("GET", "sys/leader").json()["is_self"] is True
    assert standby.request("GET", "sys/health?standbyok=true").status_code == 200

    # Logical requests to the standby are redirected to the active node...
    r = standby.request("GET", "sys/mounts", token=root)
    r_raw = __import__("requests").get(
        f"{standby.addr}/v1/sys/mounts?x=1", headers={"X-Vault-Token": root}, allow_redirects=False
    )
    assert r_raw.status_code == 307
    assert r_raw.headers["Location"] == f"{active.addr}/v1/sys/mounts?x=1"
    assert r.status_code == 200 and "secret/" not in r.json()["data"]
    # ...which the CLI follows, for writes too.
    standby.bao("secrets", "enable", "-path=kv", "kv", token=root, check=True)
    standby.bao("kv", "put", "kv/x", "v=1", token=root, check=True)
    assert active.bao("kv", "get", "-field=v", "kv/x", token=root, check=True).stdout.strip() == "1"
    # A standby cannot be sealed (Vault's answer), but it can be restarted.
    r = standby.request("PUT", "sys/seal", token=root)
    assert r.status_code == 400
    assert r.json() == {"errors": ["vault cannot seal when in standby mode; please restart instead"]}

    # A voluntary step-down hands over to the standby.
    assert active.request("PUT", "sys/step-down", token=root).status_code == 204
    assert wait_for(lambda: health(standby) == 200, 20)
    assert health(active) == 429


class History:
    """Polls every node's health; records any moment at which two answered as active."""

    def __init__(self, nodes):
        self.nodes = nodes
        self.rounds = 0
        self.violations = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        # Bounded by the stop event and by a hard cap on rounds.
        while not self.stop.is_set() and self.rounds < 100_000:
            started = time.monotonic()
            active = [n.name for n in self.nodes if n.proc and n.proc.poll() is None and health(n) == 200]
            if len(active) > 1:
                self.violations.append((time.monotonic() - started, active))
            self.rounds += 1
            time.sleep(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=30)


def test_failover_cycles_never_show_two_actives(servers, moto):
    nodes, keys, root, active = start_cluster(servers, moto, "ha-three", 3)
    active.bao("secrets", "enable", "-path=kv", "kv", token=root, check=True)
    failovers = []
    with History(nodes) as history:
        for cycle in range(3):
            active.bao("kv", "put", f"kv/cycle{cycle}", f"v={cycle}", token=root, check=True)
            killed_at = time.monotonic()
            active.kill()  # SIGKILL: no release of the lock
            survivors = [n for n in nodes if n is not active]
            new_active = wait_for(lambda: next((n for n in survivors if health(n) == 200), None), 25)
            assert new_active is not None, f"cycle {cycle}: no failover"
            failovers.append(time.monotonic() - killed_at)
            # The killed node comes back as a standby.
            active.start()
            unseal(active, keys, 1)
            assert wait_for(lambda: health(active) == 429, 10)
            active = new_active
    assert history.violations == [], history.violations
    assert history.rounds > 100
    assert all(t < 20 for t in failovers), failovers
    for cycle in range(3):
        out = active.bao("kv", "get", "-field=v", f"kv/cycle{cycle}", token=root, check=True)
        assert out.stdout.strip() == str(cycle)
    print(f"failover times (s): {[round(t, 1) for t in failovers]}")


def test_a_paused_active_stops_serving_before_a_standby_takes_over(servers, moto):
    nodes, keys, root, active = start_cluster(servers, moto, "ha-pause", 2)
    standby = next(n for n in nodes if n is not active)
    with History(nodes) as history:
        active.proc.send_signal(__import__("signal").SIGSTOP)
        try:
            assert wait_for(lambda: health(standby) == 200, 25), "standby did not take over"
        finally:
            active.proc.send_signal(__import__("signal").SIGCONT)
        # Resumed, the old active must not serve: its fence lapsed while it was paused.
        assert wait_for(lambda: health(active) == 429, 10)
        time.sleep(1)
    assert history.violations == [], history.violations
    r = active.request("GET", "sys/mounts", token=root)
    assert r.status_code == 200  # followed the redirect to the new active node
    assert "could not renew the HA lock in time" in active.stderr()


def test_dynamodb_outage_fails_clearly_loses_nothing_and_recovers(servers, moto):
    server = servers(config=on_dynamodb(moto, "outage"))
    server.start()
    keys, root = init_and_unseal(server, shares=1, threshold=1)
    server.bao("secrets", "enable", "-path=kv", "kv", token=root, check=True)
    acknowledged, failures = [], []
    outage_started = outage_ended = None
    for i in range(200):  # bounded workload: about 30 s
        if i == 20:
            moto.pause()
            outage_started = time.monotonic()
        if outage_started and outage_ended is None and time.monotonic() - outage_started > 10:
            moto.resume()
            outage_ended = time.monotonic()
        r = server.request("PUT", f"kv/item{i}", token=root, body={"n": i})
        if r.status_code == 204:
            acknowledged.append(i)
        else:
            failures.append((r.status_code, r.json()))
        if outage_ended and len(acknowledged) >= 40 and time.monotonic() - outage_ended > 2:
            break
    if outage_ended is None:
        moto.resume()
    assert failures, "the outage should have failed some requests"
    for status, body in failures:
        assert status == 500, (status, body)
        assert body["errors"][0].startswith("DynamoDB "), body
    assert acknowledged[-1] > 20, "service did not resume after the outage"
    for i in acknowledged:
        r = server.request("GET", f"kv/item{i}", token=root)
        assert r.status_code == 200 and r.json()["data"] == {"n": i}, (i, r.text)
    print(f"{len(acknowledged)} acknowledged, {len(failures)} failed during the outage")


def test_table_administration_on_the_api_and_the_cli(servers, moto):
    import json
    import subprocess

    from conftest import BIN

    server = servers(config=on_dynamodb(moto, "admin"))
    server.start()
    keys, root = init_and_unseal(server, shares=1, threshold=1)
    r = server.request("GET", "sys/storage/dynamodb", token=root)
    assert r.status_code == 200, r.text
    table = r.json()["data"]["table"]
    assert table["status"] == "ACTIVE" and table["billing_mode"] == "PROVISIONED"
    assert (table["read_capacity"], table["write_capacity"]) == (5, 5)
    assert table["arn"] == "arn:aws:dynamodb:us-east-1:123456789012:table/admin"
    assert r.json()["data"]["config"]["max_parallel"] == 128
    # init and unseal wrote (and read) the table: the workload the capacity estimate uses.
    workload = r.json()["data"]["workload"]
    assert workload["reads"] > 0 and workload["writes"] > 0 and workload["seconds"] > 0

    # Bad input: a clear 400 and the table unchanged.
    r = server.request("POST", "sys/storage/dynamodb", token=root, body={"billing_mode": "FREE"})
    assert r.status_code == 400
    assert r.json() == {"errors": ['billing_mode "FREE" must be PROVISIONED or PAY_PER_REQUEST']}
    r = server.request("POST", "sys/storage/dynamodb", token=root, body={"read_capacity": "lots"})
    assert r.status_code == 400 and "read_capacity" in r.json()["errors"][0]
    described = moto.dynamodb().describe_table(TableName="admin")["Table"]
    assert described["ProvisionedThroughput"]["ReadCapacityUnits"] == 5

    r = server.request("POST", "sys/storage/dynamodb", token=root, body={"read_capacity": 12, "write_capacity": 7})
    assert r.status_code == 200 and r.json()["data"]["table"]["read_capacity"] == 12
    described = moto.dynamodb().describe_table(TableName="admin")["Table"]
    assert described["ProvisionedThroughput"]["ReadCapacityUnits"] == 12
    assert described["ProvisionedThroughput"]["WriteCapacityUnits"] == 7
    r = server.request("POST", "sys/storage/dynamodb", token=root, body={"billing_mode": "PAY_PER_REQUEST"})
    assert r.json()["data"]["table"]["billing_mode"] == "PAY_PER_REQUEST"
    described = moto.dynamodb().describe_table(TableName="admin")["Table"]
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"

    policy = server.request("GET", "sys/storage/dynamodb/iam-policy", token=root).json()["data"]
    steady = policy["steady_state"]["Statement"][0]
    assert steady["Resource"] == "arn:aws:dynamodb:us-east-1:123456789012:table/admin"
    assert "dynamodb:Scan" not in steady["Action"] and "dynamodb:Query" in steady["Action"]
    tf = server.request("GET", "sys/storage/dynamodb/terraform", token=root).json()["data"]["terraform"]
    assert 'name = "admin"' in tf and 'hash_key  = "Path"' in tf
    assert server.request("GET", "sys/storage/dynamodb").status_code == 403

    # The same from the CLI, straight from the config file, without the server.
    config = str(server.workdir / "server.hcl")
    out = subprocess.run([str(BIN), "dynamodb", "describe", f"-config={config}"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["table"]["billing_mode"] == "PAY_PER_REQUEST"
    out = subprocess.run(
        [str(BIN), "dynamodb", "iam-policy", f"-config={config}", "-account-id=123456789012"],
        capture_output=True,
        text=True,
    )
    assert json.loads(out.stdout)["bootstrap"]["Statement"][0]["Action"] == [
        "dynamodb:CreateTable",
        "dynamodb:DescribeTable",
        "dynamodb:UpdateTable",
    ]
    out = subprocess.run([str(BIN), "dynamodb", "terraform", f"-config={config}"], capture_output=True, text=True)
    assert 'resource "aws_dynamodb_table" "strongroom"' in out.stdout


def test_local_storage_has_no_table_and_bad_settings_name_their_key(servers, moto, tmp_path):
    import subprocess

    from conftest import BIN

    local = servers(name="local")
    local.start()
    _, root = init_and_unseal(local, shares=1, threshold=1)
    r = local.request("GET", "sys/storage/dynamodb", token=root)
    assert r.status_code == 400
    assert r.json() == {"errors": ['this node\'s storage is "local", not dynamodb: there is no table to administer']}

    bad = tmp_path / "bad.hcl"
    bad.write_text('storage "dynamodb" {\n  table = "tab1"\n  write_capacity = "-3"\n}\n')
    out = subprocess.run([str(BIN), "server", f"-config={bad}"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 1
    assert 'bad.hcl:3: storage "dynamodb": write_capacity: "-3" is not a capacity' in out.stderr
    # An environment variable with a bad value is named as such.
    bad.write_text(f'storage "dynamodb" {{\n  endpoint = "{moto.endpoint}"\n}}\n')
    out = subprocess.run(
        [str(BIN), "server", f"-config={bad}"],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin:/bin", "DYNAMODB_HA_ENABLED": "perhaps"},
    )
    assert out.returncode == 1
    assert 'ha_enabled (from DYNAMODB_HA_ENABLED): "perhaps" must be true or false' in out.stderr
