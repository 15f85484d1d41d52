"""The demo area: each app adds a step that generates its files and loads them.

Steps generate data in the same official formats a user downloads (Code-Point Open CSVs,
GeoJSON boundaries, data.police.uk CSVs, …) into a folder, then load them through the same
importers as real data. Everything they create is marked as generated (`is_demo`) and shown
so. An app registers its step in AppConfig.ready():

    demo.register("crime", order=20, step=generate_and_load_crime)

`step(workdir: Path, stdout)` must be idempotent: running the demo twice leaves one demo area.
A step that finds nothing to build on raises NothingToLoad (the command then fails) rather
than printing a note and carrying on with an empty demo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

# A fixed seed so every machine generates the same demo area.
DEMO_SEED = 20261125


class NothingToLoad(Exception):
    """A demo step found nothing to build on; the message says which step to run first."""


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    step: Callable[[Path, TextIO], None]


_steps: dict[str, DemoStep] = {}


def register(name: str, *, order: int, step: Callable[[Path, TextIO], None]) -> None:
    _steps[name] = DemoStep(name, order, step)


def steps() -> list[DemoStep]:
    return sorted(_steps.values(), key=lambda s: s.order)
