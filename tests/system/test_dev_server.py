"""`strongroom server -dev`: in memory, initialized, unsealed, credentials printed like Vault."""

import json
import re
import signal


def credentials(server):
    out = server.stdout()
    key = re.search(r"^Unseal Key: (\S+)$", out, re.M).group(1)
    token = re.search(r"^Root Token: (\S+)$", out, re.M).group(1)
    return key, token


def test_dev_server_with_chosen_root_token(servers):
    server = servers(["server", "-dev", "-dev-root-token-id=dev-root", "-dev-listen-address=127.0.0.1:{port}"])
    server.start()
    key, token = credentials(server)
    assert token == "dev-root"
    assert f"export VAULT_ADDR='{server.addr}'" in server.stdout()

    status = json.loads(server.bao("status", "-format=json").stdout)
    assert (status["sealed"], status["t"], status["n"], status["storage_type"]) == (False, 1, 1, "inmem")
    assert server.bao("kv", "put", "secret/hello", "who=world", token=token).returncode == 0
    got = json.loads(server.bao("kv", "get", "-format=json", "secret/hello", token=token).stdout)
    assert got["data"] == {"who": "world"}
    lookup = json.loads(server.bao("token", "lookup", "-format=json", token=token).stdout)
    assert lookup["data"]["policies"] == ["root"]

    # The single unseal key works like any share.
    assert server.bao("operator", "seal", token=token).returncode == 0
    assert server.bao("operator", "unseal", key).returncode == 0
    assert server.bao("status").returncode == 0

    assert server.stop(signal.SIGINT) == 0
    assert "sealed and stopped" in server.stderr()


def test_dev_server_generates_a_root_token(servers):
    server = servers(["server", "-dev", "-dev-listen-address=127.0.0.1:{port}"]).start()
    _, token = credentials(server)
    assert token.startswith("hvs.") and len(token) == 28
    assert server.bao("token", "lookup", token=token).returncode == 0
    assert server.bao("token", "lookup", token="hvs.wrong").returncode != 0
