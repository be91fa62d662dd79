"""Bad input gets a precise error, the process keeps serving, and nothing stored changes."""

import sqlite3
import subprocess

from conftest import BIN, free_port, init_and_unseal


def run_server(*args):
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=30)


def test_unreadable_or_invalid_configs_fail_with_the_line(tmp_path):
    missing = run_server("server", f"-config={tmp_path}/nope.hcl")
    assert missing.returncode == 1
    assert f"cannot read config file {tmp_path}/nope.hcl" in missing.stderr

    cfg = tmp_path / "bad.hcl"
    cfg.write_text('storage "local" {\n  path = "x.db"\n}\n\nlistener "tcp" {\n  adress = "127.0.0.1:1"\n}\n')
    result = run_server("server", f"-config={cfg}")
    assert result.returncode == 1
    assert f'{cfg}:6: listener "tcp": unknown key "adress" (known keys: address, tls_disable)' in result.stderr

    cfg.write_text('storage "local" {\n  path = \n}\n')
    result = run_server("server", f"-config={cfg}")
    assert result.returncode == 1 and f"{cfg}:2:10: invalid expression" in result.stderr

    cfg.write_text('storage "dynamo" {}\n')
    result = run_server("server", f"-config={cfg}")
    assert 'unknown storage type "dynamo"' in result.stderr

    both = run_server("server", "-dev", f"-config={cfg}")
    assert both.returncode == 1 and "cannot be combined" in both.stderr
    neither = run_server("server")
    assert neither.returncode == 1 and "-config=FILE" in neither.stderr


def test_port_in_use_is_reported(servers, tmp_path):
    first = servers().start()
    port = first.addr.rsplit(":", 1)[1]
    cfg = tmp_path / "clash.hcl"
    cfg.write_text(
        f'storage "inmem" {{}}\nlistener "tcp" {{\n  address = "127.0.0.1:{port}"\n  tls_disable = true\n}}\n'
    )
    result = run_server("server", f"-config={cfg}")
    assert result.returncode == 1
    assert f"Error listening on 127.0.0.1:{port}" in result.stderr


def test_malformed_requests_against_the_running_server(servers):
    server = servers().start()
    _, root = init_and_unseal(server)
    r = server.request("PUT", "sys/mounts/kv", token=root, raw='{"type": "kv"')
    assert r.status_code == 400
    assert r.json()["errors"][0].startswith("failed to parse JSON input:")
    r = server.request("PUT", "sys/mounts/kv", token=root, body={"type": ["kv"]})
    assert r.status_code == 400
    assert r.json() == {"errors": ['invalid value for "type": expected a string, got ["kv"]']}
    assert server.request("GET", "sys/mounts", token=root).json()["data"].keys() == {"sys/"}
    r = server.request("GET", "no/such/mount", token=root)
    assert (r.status_code, r.json()) == (404, {"errors": ['no handler for route "no/such/mount". route entry not found.']})
    r = server.request("PUT", "sys/init", body={"secret_shares": 1, "secret_threshold": 1})
    assert (r.status_code, r.json()) == (400, {"errors": ["Vault is already initialized"]})
    # Still serving.
    assert server.request("GET", "sys/health").status_code == 200


def test_corrupted_stored_value_is_reported_and_left_alone(servers):
    server = servers().start()
    shares, root = init_and_unseal(server)
    assert server.request("POST", "sys/mounts/kv", token=root, body={"type": "kv"}).status_code == 204
    assert server.request("PUT", "kv/victim", token=root, body={"v": "1"}).status_code == 204
    assert server.request("PUT", "kv/bystander", token=root, body={"v": "2"}).status_code == 204
    uuid = server.request("GET", "sys/mounts/kv", token=root).json()["data"]["uuid"]
    key = f"logical/{uuid}/victim".encode()
    assert server.stop() == 0

    db = server.workdir / "strongroom.db"
    with sqlite3.connect(db) as conn:
        (value,) = conn.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        tampered = value[:-1] + bytes([value[-1] ^ 0x01])
        conn.execute("UPDATE entries SET value = ? WHERE key = ?", (tampered, key))

    server.start()
    assert server.request("GET", "sys/seal-status").json()["sealed"] is True
    for share in shares[:3]:
        assert server.request("PUT", "sys/unseal", body={"key": share}).status_code == 200
    r = server.request("GET", "kv/victim", token=root)
    assert r.status_code == 500
    assert r.json() == {
        "errors": [
            f'decryption failed for the value stored at "{key.decode()}": cipher: message authentication failed'
        ]
    }
    assert server.request("GET", "kv/bystander", token=root).json()["data"] == {"v": "2"}
    assert server.stop() == 0
    with sqlite3.connect(db) as conn:
        (after,) = conn.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
    assert after == tampered
