"""Bounds for numbers people send, checked at the edge (schemas and forms) before any query or save."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

# The largest primary key PostgreSQL's bigint and SQLite's integer hold.
MAX_ID = 2**63 - 1

# An id in a request body: a positive whole number a database can hold.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def one_of(choices) -> Any:
    """A schema type accepting exactly the values of a Django `choices` class, listed inline in the
    OpenAPI schema (enum classes named alike, such as two `Kind`s, would share one component)."""
    return Literal[tuple(choices.values)]
