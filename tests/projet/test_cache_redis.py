"""The project's Redis cache backend: Django's, with one client per pool instead of per call."""

import os
import threading

import pytest

from atelier.cache import RedisCache


def test_one_client_per_connection_pool_not_one_per_call():
    # Two servers: writes go to the first, reads to the other (Django's rule).
    backend = RedisCache("redis://127.0.0.1:1/0,redis://127.0.0.1:2/0", {})
    clients = backend._cache
    ecriture = clients.get_client(write=True)
    assert clients.get_client(write=True) is ecriture
    lecture = clients.get_client()
    assert lecture is clients.get_client() and lecture is not ecriture
    assert lecture.connection_pool is not ecriture.connection_pool


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL absent : pas de Redis")
def test_round_trips_through_real_redis_from_several_threads():
    backend = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-cache-redis"})
    erreurs = []

    def travail(n: int) -> None:
        try:
            for i in range(50):
                backend.set(f"k{n}-{i}", {"n": n, "i": i}, 30)
                assert backend.get(f"k{n}-{i}") == {"n": n, "i": i}
            assert backend.get_many([f"k{n}-0", f"k{n}-49", "absente"]) == {
                f"k{n}-0": {"n": n, "i": 0},
                f"k{n}-49": {"n": n, "i": 49},
            }
        except Exception as exc:  # reported by the main thread
            erreurs.append(exc)

    fils = [threading.Thread(target=travail, args=(n,)) for n in range(4)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=30)
    assert not erreurs
    backend.set("compteur", 1, 30)
    assert backend.incr("compteur") == 2
    backend.delete_many([f"k{n}-{i}" for n in range(4) for i in range(50)] + ["compteur"])
    assert backend.get("k0-0") is None
