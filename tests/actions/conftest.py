"""Action tests run against the shared test database; failed identity checks are cleared per test."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_locks(no_case_locks: None) -> None:
    return None
