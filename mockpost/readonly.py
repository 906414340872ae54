"""`@readonly`: a dataclass that the type checker holds frozen, and that runs as a plain one.

Not frozen at run time: Python's frozen dataclasses set each field through
`object.__setattr__` as an object is built, and loading 20,000 examples builds about 150,000
of these objects. In our code the guarantee holds anyway: mypy refuses every assignment to
their fields (`dataclass_transform(frozen_default=True)`), and equal objects hash alike, as
frozen ones do. Slotted, like the rest. A class that also keeps a mutable cache says so where
the field is declared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, dataclass_transform, overload

T = TypeVar("T")


@overload
def readonly(cls: type[T], /) -> type[T]: ...
@overload
def readonly(*, eq: bool = True) -> Callable[[type[T]], type[T]]: ...
@dataclass_transform(frozen_default=True)
def readonly(
    cls: type[T] | None = None, /, *, eq: bool = True
) -> type[T] | Callable[[type[T]], type[T]]:
    """`@readonly`, or `@readonly(eq=False)` for objects compared and hashed by identity."""

    def make(plain: type[T]) -> type[T]:
        return dataclass(slots=True, eq=eq, unsafe_hash=eq)(plain)

    return make if cls is None else make(cls)
