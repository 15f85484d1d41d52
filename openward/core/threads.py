"""Work done beside the main thread."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def ahead(items: Iterator[T]) -> Iterator[T]:
    """`items`, each worked out in a thread of its own while the caller handles the one before.

    Worth it when producing an item mostly runs code that lets other threads run (polars, numpy, I/O).
    The producer must not use the database: Django would give its thread a connection of its own,
    outside the caller's transaction. An exception in it is raised here, at the item it stopped at;
    if the caller stops early, the producer stops at its next item.
    """
    handed: queue.Queue = queue.Queue(maxsize=1)
    stopped = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stopped.is_set():
                    try:
                        handed.put((None, item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stopped.is_set():
                    return
            handed.put((None, _DONE))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, which raises it
            handed.put((exc, None))

    thread = threading.Thread(target=produce, name="ahead", daemon=True)
    thread.start()
    try:
        while True:
            error, item = handed.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stopped.set()
        while thread.is_alive():
            try:
                handed.get(timeout=0.1)
            except queue.Empty:
                pass
        thread.join()
