"""Local storage is crash-safe, and a clean shutdown leaves a tidy store."""

import signal
import threading
import time

from conftest import init_and_unseal


def test_acknowledged_writes_survive_sigkill(servers):
    server = servers().start()
    shares, root = init_and_unseal(server)
    assert server.request("POST", "sys/mounts/kv", token=root, body={"type": "kv"}).status_code == 204

    acknowledged = {}
    lock = threading.Lock()
    stop = threading.Event()

    def writer(worker):
        for i in range(400):  # bounded: the kill normally comes first
            if stop.is_set():
                return
            key = f"w{worker}/k{i:03d}"
            try:
                r = server.request("PUT", f"kv/{key}", token=root, body={"n": f"{worker}-{i}"})
            except Exception:
                return  # the server died mid-request: that write was never acknowledged
            if r.status_code == 204:
                with lock:
                    acknowledged[key] = f"{worker}-{i}"

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with lock:
            if len(acknowledged) >= 150:
                break
        time.sleep(0.01)
    assert len(acknowledged) >= 150, f"only {len(acknowledged)} writes acknowledged before the deadline"
    server.kill()  # SIGKILL: no shutdown path runs
    stop.set()
    for t in threads:
        t.join(timeout=30)

    server.start()
    for share in shares[:3]:
        server.request("PUT", "sys/unseal", body={"key": share})
    missing = [
        key
        for key, value in acknowledged.items()
        if server.request("GET", f"kv/{key}", token=root).json().get("data") != {"n": value}
    ]
    assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged writes lost: {missing[:5]}"


def test_sigterm_and_sigint_shut_down_cleanly(servers):
    for sig in (signal.SIGTERM, signal.SIGINT):
        server = servers(name=f"clean-{sig.name}").start()
        init_and_unseal(server)
        assert server.stop(sig) == 0
        assert f'signal="{sig.name}"' in server.stderr()
        assert "sealed and stopped" in server.stderr()
        wal = server.workdir / "strongroom.db-wal"
        assert not wal.exists() or wal.stat().st_size == 0, "the WAL is checkpointed on close"
