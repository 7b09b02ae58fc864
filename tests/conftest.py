"""Shared fixtures: the real policy bundle, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_loader import load_bundle

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"


@pytest.fixture(scope="session")
def bundle() -> dict:
    return load_bundle(POLICIES)
