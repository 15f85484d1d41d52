"""Importers for data.police.uk files and saved API responses.

`PoliceUkImporter` is loaded on first use: it brings polars, which pages (crime.harm reads the category
names here) need not import at start-up (bench/bench_startup.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .policeuk import PoliceUkImporter

__all__ = ["PoliceUkImporter"]


def __getattr__(name: str) -> Any:
    if name == "PoliceUkImporter":
        from .policeuk import PoliceUkImporter

        return PoliceUkImporter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
