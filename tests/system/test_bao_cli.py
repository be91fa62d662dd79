"""The OpenBao CLI against `strongroom server -config=…` with local storage: status, init,
unseal, seal, health, kv, and a restart that comes back sealed and unseals with the same shares."""

import json
import sqlite3


def test_operator_lifecycle_with_restart(servers):
    server = servers().start()

    status = server.bao("status", "-format=json")
    assert status.returncode == 2, status.stderr  # 2 = sealed (or not initialized)
    assert json.loads(status.stdout)["initialized"] is False

    init = server.bao("operator", "init", "-key-shares=5", "-key-threshold=3", "-format=json")
    assert init.returncode == 0, init.stderr
    init = json.loads(init.stdout)
    keys_b64, keys_hex, root = init["unseal_keys_b64"], init["unseal_keys_hex"], init["root_token"]
    assert len(keys_b64) == 5 and len(keys_hex) == 5
    assert all(len(k) == 66 for k in keys_hex)
    assert init["unseal_shares"] == 5 and init["unseal_threshold"] == 3

    status = server.bao("status", "-format=json")
    assert status.returncode == 2
    status = json.loads(status.stdout)
    assert (status["initialized"], status["sealed"], status["t"], status["n"]) == (True, True, 3, 5)

    first = server.bao("operator", "unseal", "-format=json", keys_b64[0])
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["progress"] == 1
    reset = server.bao("operator", "unseal", "-reset", "-format=json")
    assert json.loads(reset.stdout)["progress"] == 0
    for key in keys_b64[:3]:
        unseal = server.bao("operator", "unseal", "-format=json", key)
        assert unseal.returncode == 0, unseal.stderr
    assert json.loads(unseal.stdout)["sealed"] is False
    assert server.bao("status").returncode == 0

    health = server.bao("read", "-format=json", "sys/health", token=root)
    assert health.returncode == 0, health.stderr
    health = json.loads(health.stdout)["data"]  # the CLI wraps raw responses under "data"
    assert health["initialized"] is True and health["sealed"] is False and health["standby"] is False

    enable = server.bao("secrets", "enable", "-path=secret", "kv", token=root)
    assert enable.returncode == 0, enable.stderr
    put = server.bao("kv", "put", "secret/app", "password=s3cr3t", "user=app", token=root)
    assert put.returncode == 0, put.stderr
    got = json.loads(server.bao("kv", "get", "-format=json", "secret/app", token=root).stdout)
    assert got["data"] == {"password": "s3cr3t", "user": "app"}

    seal = server.bao("operator", "seal", token=root)
    assert seal.returncode == 0, seal.stderr
    assert "sealed" in seal.stdout.lower()
    assert server.bao("status").returncode == 2
    denied = server.bao("kv", "get", "secret/app", token=root)
    assert denied.returncode != 0 and "sealed" in denied.stderr.lower()

    # Restart: the node comes back sealed and unseals with other shares, in hex this time.
    assert server.stop() == 0
    db = server.workdir / "strongroom.db"
    with sqlite3.connect(db) as conn:
        raw = b"".join(v for (v,) in conn.execute("SELECT value FROM entries"))
    assert b"s3cr3t" not in raw and root.encode() not in raw, "secrets must not be stored in plain form"

    server.start()
    status = json.loads(server.bao("status", "-format=json").stdout)
    assert (status["initialized"], status["sealed"], status["progress"]) == (True, True, 0)
    for key in (keys_hex[4], keys_hex[2], keys_hex[1]):
        assert server.bao("operator", "unseal", key).returncode == 0
    assert server.bao("status").returncode == 0
    got = json.loads(server.bao("kv", "get", "-format=json", "secret/app", token=root).stdout)
    assert got["data"] == {"password": "s3cr3t", "user": "app"}
    listed = json.loads(server.bao("kv", "list", "-format=json", "secret/", token=root).stdout)
    assert listed == ["app"]


def test_wrong_and_repeated_unseal_keys(servers):
    server = servers().start()
    init = json.loads(server.bao("operator", "init", "-key-shares=3", "-key-threshold=2", "-format=json").stdout)
    keys = init["unseal_keys_b64"]

    assert json.loads(server.bao("operator", "unseal", "-format=json", keys[0]).stdout)["progress"] == 1
    again = server.bao("operator", "unseal", "-format=json", keys[0])
    assert again.returncode == 0 and json.loads(again.stdout)["progress"] == 1, "a repeated share is ignored"

    garbage = server.bao("operator", "unseal", "not-a-key!")
    assert garbage.returncode != 0
    assert "'key' must be a valid hex or base64 string" in garbage.stderr

    # A well-formed but wrong share reaches the threshold and fails; progress resets.
    other = json.loads(servers(name="other").start().bao(
        "operator", "init", "-key-shares=3", "-key-threshold=2", "-format=json").stdout)["unseal_keys_b64"]
    wrong = server.bao("operator", "unseal", other[1])
    assert wrong.returncode != 0 and "unseal failed, invalid key" in wrong.stderr
    status = json.loads(server.bao("status", "-format=json").stdout)
    assert status["sealed"] is True and status["progress"] == 0

    again_init = server.bao("operator", "init", "-key-shares=1", "-key-threshold=1")
    assert again_init.returncode != 0 and "already initialized" in again_init.stderr
