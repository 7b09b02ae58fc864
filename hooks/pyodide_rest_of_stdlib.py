"""The rest of Python's standard library, for the calculators' worker: fetched only if ever needed.

The worker boots from a start set of the stdlib (hooks/pyodide_boot.mjs): the modules that
start-up and the calculators import, precompiled, 1.5 MB instead of the whole 3.2 MB. The build
puts this module into that start set as `_rest_of_stdlib`, with NAMES filled in: every module of
Pyodide's full stdlib (assets/pyodide/python_stdlib.zip, sources) that the start set leaves out.
The worker installs it (`install(fetch)`) as the last finder on sys.meta_path, so an import of one
of those modules, which no calculation is known to make, still works: the first such import
fetches the full stdlib once, synchronously (`fetch`, given by the worker), and imports from it.
A module that is in neither (an optional C extension a module probes for) fails as it always
did, without a download.

Never imported by CPython code: this file is the template the build fills and compiles.
"""

from __future__ import annotations

import importlib.machinery
import sys

NAMES: frozenset[str] = frozenset()  # filled in by hooks/pyodide_boot.mjs
WHERE = "/lib/python_stdlib_rest.zip"


class RestOfStdlib:
    """A meta path finder for the modules in NAMES, from the full stdlib fetched on first use."""

    def __init__(self, fetch):
        self.fetch = fetch  # () -> bytes of the full stdlib zip (the worker's synchronous request)
        self.fetched = False

    def find_spec(self, name, path=None, target=None):
        if name not in NAMES:
            return None
        if not self.fetched:
            try:
                data = self.fetch()  # a JavaScript Uint8Array
            except Exception as error:  # the line is down: this import fails; a later one tries again
                raise ImportError(f"{name} is not in the start set, and the full stdlib did not download: {error}",
                                  name=name) from None
            with open(WHERE, "wb") as file:
                file.write(data.to_bytes())
            self.fetched = True
        # Found by its place in the full stdlib; a package's submodules then by the package's path.
        parent = name.rpartition(".")[0]
        where = [WHERE + "/" + parent.replace(".", "/")] if parent else [WHERE]
        return importlib.machinery.PathFinder.find_spec(name, where)


def install(fetch) -> None:
    """Put the finder last on sys.meta_path (once): the start set is always searched first."""
    if not any(isinstance(finder, RestOfStdlib) for finder in sys.meta_path):
        sys.meta_path.append(RestOfStdlib(fetch))
