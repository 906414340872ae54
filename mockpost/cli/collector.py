"""The command line's one garbage-collector policy: what start-up builds is kept out of sight.

Building tens of thousands of small objects (a collection's model and index, 20,000 examples
in the benchmark) makes Python's cyclic collector run again and again over everything built
so far; none of it is garbage. So while `serve` imports the server and loads the files, the
collector is paused; then what is alive is frozen (`gc.freeze`): it lives as long as the
process, and no later collection walks it again (about 80 ms each for 20,000 examples).

Only the `mockpost` command does this, because it owns the process. The library (`create_app`,
`mockpost.serving`, the pytest plugin) never touches the collector: it runs in someone else's.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def built_to_last() -> Iterator[None]:
    """No collection inside; what is alive at the end (when it ends without an error) is left
    out of every later collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
