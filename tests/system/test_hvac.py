"""hvac, the Python Vault client library, against a real server."""

import hvac
import pytest


def test_hvac_lifecycle_kv_and_errors(servers):
    server = servers().start()
    client = hvac.Client(url=server.addr)
    assert client.sys.is_initialized() is False

    result = client.sys.initialize(secret_shares=3, secret_threshold=2)
    keys, root = result["keys"], result["root_token"]
    assert len(keys) == 3
    assert client.sys.is_sealed() is True

    status = client.sys.submit_unseal_keys(keys[1:])
    assert status["sealed"] is False
    client.token = root
    assert client.is_authenticated()

    health = client.sys.read_health_status(method="GET")
    assert health["initialized"] is True and health["sealed"] is False

    client.sys.enable_secrets_engine("kv", path="kv", options={"version": "1"})
    assert "kv/" in client.sys.list_mounted_secrets_engines()["data"]
    client.secrets.kv.v1.create_or_update_secret("team/db", {"user": "app", "port": 5432}, mount_point="kv")
    read = client.secrets.kv.v1.read_secret("team/db", mount_point="kv")
    assert read["data"] == {"user": "app", "port": 5432}
    assert client.secrets.kv.v1.list_secrets("team", mount_point="kv")["data"]["keys"] == ["db"]
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.secrets.kv.v1.read_secret("team/missing", mount_point="kv")

    key_status = client.sys.get_encryption_key_status()
    assert key_status["data"]["term"] == 1
    client.sys.rotate_encryption_key()
    assert client.sys.get_encryption_key_status()["data"]["term"] == 2
    assert client.secrets.kv.v1.read_secret("team/db", mount_point="kv")["data"]["user"] == "app"

    stranger = hvac.Client(url=server.addr, token="hvs.not-a-real-token")
    with pytest.raises(hvac.exceptions.Forbidden):
        stranger.secrets.kv.v1.read_secret("team/db", mount_point="kv")

    client.sys.seal()
    assert client.sys.is_sealed() is True
    with pytest.raises(hvac.exceptions.VaultDown):
        client.secrets.kv.v1.read_secret("team/db", mount_point="kv")
