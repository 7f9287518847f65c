"""Shared pytest fixtures."""

from __future__ import annotations

import pytest
from solders.litesvm import LiteSVM

from asdf_dat.embedded import new_dat_svm


@pytest.fixture
def dat_svm() -> LiteSVM:
    """A LiteSVM with the compiled asdf_dat program loaded at its id."""
    return new_dat_svm()
