"""Cache backends that every process shares and that degrade instead of failing.

Rate limits, the unread count and cached access decisions are only right when every web process and the
worker read and write the same store. Without Redis, ``SharedFileCache`` keeps entries as files in one
directory on the machine (which the embedded SQLite setup is bound to anyway). With Redis,
``ResilientRedisCache`` answers from a small per-process store while Redis is unreachable, so a cache outage
slows nothing down and fails no request (docs/faults.md).
"""

from __future__ import annotations

import fcntl
import logging
import os
import pickle
import random
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
T = TypeVar("T")


class SharedFileCache(FileBasedCache):
    """Django's file cache with ``add`` and ``incr`` made atomic across processes (an exclusive ``flock``).

    Django's own ``add`` checks and then writes, and ``incr`` reads and then writes: two processes counting
    the same rate-limit window at once would both see the same number. Expired entries are swept now and
    then instead of Django's random culling, which could throw away a live rate-limit count.
    """

    SWEEP_EVERY = 200  # writes, on average, between sweeps of expired entries

    if TYPE_CHECKING:  # Django's backend has these; django-stubs does not declare private members
        _dir: str

        def _createdir(self) -> None: ...
        def _key_to_file(self, key: str, version: int | None = None) -> str: ...
        def _delete(self, fname: str) -> bool: ...
        def _list_cache_files(self) -> list[str]: ...

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        params = {**params, "OPTIONS": {"MAX_ENTRIES": 1_000_000, **params.get("OPTIONS", {})}}
        super().__init__(dir, params)
        self._lock_path = os.path.join(self._dir, "lock")

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        self._createdir()
        with open(self._lock_path, "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # A full or read-only disk must not fail the request that merely caches something: a write that fails is
    # a miss later. For counters this fails open (the count restarts): the database refuses writes on such a
    # disk anyway, so nothing the limits protect can happen meanwhile.
    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except OSError as exc:
            logger.warning("cache write failed (%s); continuing without it", exc)

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            with self._exclusive():
                return super().add(key, value, timeout, version)
        except OSError as exc:
            logger.warning("cache write failed (%s); continuing without it", exc)
            return True

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """Adds ``delta`` in place and keeps the entry's expiry (Django's generic incr would reset it).

        In place, as Django's own ``touch`` does: replacing the file by a rename makes ext4 flush it to disk,
        which costs milliseconds per count. Counters are only read through ``add`` and ``incr``, under the lock.
        """
        try:
            return self._incr(key, delta, version)
        except ValueError:
            raise
        except OSError as exc:
            logger.warning("cache write failed (%s); continuing without it", exc)
            return delta

    def _incr(self, key: str, delta: int, version: int | None) -> int:
        fname = self._key_to_file(key, version)
        with self._exclusive():
            try:
                with open(fname, "r+b") as f:
                    expiry = pickle.load(f)  # noqa: S301 - our own files, as in Django's backend
                    if expiry is not None and expiry < time.time():
                        raise FileNotFoundError(fname)
                    value = pickle.loads(zlib.decompress(f.read())) + delta  # noqa: S301
                    f.seek(0)
                    f.write(pickle.dumps(expiry, self.pickle_protocol))
                    f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
                    f.truncate()
            except (FileNotFoundError, EOFError):
                self._delete(fname)
                raise ValueError(f"Key '{key}' not found") from None
            return int(value)

    def _cull(self) -> None:
        # Listing the directory on every write (Django's way) costs more as entries grow; sweep now and then,
        # and only what has expired. A full directory is then culled the usual way.
        if random.random() * self.SWEEP_EVERY >= 1:  # noqa: S311 - not security relevant
            return
        now = time.time()
        for fname in self._list_cache_files():
            try:
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)  # noqa: S301
            except (FileNotFoundError, EOFError, pickle.UnpicklingError):
                continue
            if expiry is not None and expiry < now:
                self._delete(fname)
        super()._cull()  # type: ignore[misc]  # Django's, undeclared in django-stubs


class _Outage:
    """What one process knows about its Redis: until when not to try it, and the keys to reconcile."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.pending: set[str] = set()


_OUTAGES: dict[str, _Outage] = {}
_OUTAGES_LOCK = threading.Lock()


def _outage_for(server: str) -> _Outage:
    with _OUTAGES_LOCK:
        return _OUTAGES.setdefault(server, _Outage())


class ResilientRedisCache(RedisCache):
    """Redis, but an unreachable Redis neither fails a request nor makes it wait.

    On a Redis error the operation is answered from a per-process local-memory store, and Redis is not
    tried again for ``RETRY_SECONDS``. Rate limits therefore keep counting during an outage, per process
    (a deliberate choice: sign-in neither locks everyone out nor lets guesses through unlimited). Every
    key written or deleted meanwhile is deleted from Redis once it answers again, so no value from before
    the outage (a signed-out session, an old unread count) comes back.
    """

    RETRY_SECONDS = 2.0
    FALLBACK_MAX_SECONDS = 300  # nothing kept locally outlives the longest rate-limit window
    MAX_PENDING = 10_000

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        # Django makes one backend object per thread; the outage state and the local counts are the process's.
        self._outage = _outage_for(server)
        self._fallback = LocMemCache(f"courtyard-fallback-{server}", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

    # -- plumbing --------------------------------------------------------------------------------
    def _redis_errors(self) -> tuple[type[BaseException], ...]:
        return (redis.exceptions.RedisError, OSError)

    def _cap(self, timeout: Any) -> Any:
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None or timeout > self.FALLBACK_MAX_SECONDS:
            return self.FALLBACK_MAX_SECONDS
        return timeout

    def _call(self, operation: str, keys: list[str], primary: Callable[[], T], fallback: Callable[[], T]) -> T:
        outage = self._outage
        if time.monotonic() >= outage.down_until:
            try:
                result = primary()
            except self._redis_errors() as exc:
                with outage.lock:
                    outage.down_until = time.monotonic() + self.RETRY_SECONDS
                logger.warning("cache unavailable (%s: %s); answering from this process", operation, exc)
            else:
                self._flush_pending()
                return result
        self._remember(keys)
        return fallback()

    def _remember(self, keys: list[str]) -> None:
        outage = self._outage
        with outage.lock:
            if len(outage.pending) + len(keys) <= self.MAX_PENDING:
                outage.pending.update(keys)
            else:
                logger.error("cache outage: too many changed keys to reconcile; some may be stale for a while")

    def _flush_pending(self) -> None:
        outage = self._outage
        if not outage.pending:
            return
        with outage.lock:
            keys, outage.pending = list(outage.pending), set()
        try:
            super().delete_many(keys)
        except self._redis_errors():
            self._remember(keys)
        else:
            self._fallback.clear()

    # -- the cache API ---------------------------------------------------------------------------
    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._call(
            "get", [], lambda: super(ResilientRedisCache, self).get(key, default, version),
            lambda: self._fallback.get(key, default, version),
        )

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        return self._call(
            "get_many", [], lambda: super(ResilientRedisCache, self).get_many(keys, version),
            lambda: self._fallback.get_many(keys, version),
        )

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._call(
            "has_key", [], lambda: super(ResilientRedisCache, self).has_key(key, version),
            lambda: self._fallback.has_key(key, version),
        )

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._call(
            "set", [key], lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            lambda: self._fallback.set(key, value, self._cap(timeout), version),
        )

    def set_many(self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[str]:
        return self._call(
            "set_many", list(data), lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            lambda: self._fallback.set_many(data, self._cap(timeout), version),
        )

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(
            "add", [key], lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            lambda: self._fallback.add(key, value, self._cap(timeout), version),
        )

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return self._call(
            "incr", [key], lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            lambda: self._fallback.incr(key, delta, version),
        )

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(
            "touch", [key], lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            lambda: self._fallback.touch(key, self._cap(timeout), version),
        )

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._call(
            "delete", [key], lambda: super(ResilientRedisCache, self).delete(key, version),
            lambda: self._fallback.delete(key, version),
        )

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        keys = list(keys)
        self._call(
            "delete_many", keys, lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: self._fallback.delete_many(keys, version),
        )

    def clear(self) -> None:
        self._call("clear", [], lambda: super(ResilientRedisCache, self).clear(), self._fallback.clear)
