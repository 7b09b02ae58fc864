"""The checkout's policy bundle, loaded once per process and shared.

Tests take it from the session fixture `bundle` (tests/conftest.py). Only what must exist before
any fixture does (a parametrize list, a hypothesis strategy) calls these directly; either way the
YAML is read once per process, not once per test module. Nobody may change what they get.
"""

from __future__ import annotations

import functools
from testsupport.checkout import POLICIES


@functools.cache
def policy_bundle() -> dict:
    from policy_loader import load_bundle

    return load_bundle(POLICIES)


@functools.cache
def checked_bundle() -> dict:
    """The bundle with the calculators' checks too, as `check` and the build load it."""
    from policy_contract.checks import load_checked_bundle

    return load_checked_bundle(POLICIES)
