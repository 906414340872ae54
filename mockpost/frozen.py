"""`@frozen`: a dataclass that the type checker holds frozen, and that runs as a plain one.

A frozen dataclass pays for its guard at run time, on every object: each field is set through
`object.__setattr__` when it is built, and a pickle is read back through a `__setstate__`
written in Python. Loading 20,000 examples builds about 150,000 such objects, and a snapshot
(`runtime/snapshot.py`) reads them all back. Where the guarantee is needed, in our code, mypy
still refuses every assignment to their fields (`dataclass_transform(frozen_default=True)`);
equal objects hash alike, as frozen ones do. Slotted, like the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, dataclass_transform, overload

T = TypeVar("T")


@overload
def frozen(cls: type[T], /) -> type[T]: ...
@overload
def frozen(*, eq: bool = True) -> Callable[[type[T]], type[T]]: ...
@dataclass_transform(frozen_default=True)
def frozen(
    cls: type[T] | None = None, /, *, eq: bool = True
) -> type[T] | Callable[[type[T]], type[T]]:
    """`@frozen`, or `@frozen(eq=False)` for objects compared and hashed by identity."""

    def make(plain: type[T]) -> type[T]:
        return dataclass(slots=True, eq=eq, unsafe_hash=eq)(plain)

    return make if cls is None else make(cls)
