"""The console tests share the per-role accounts of the ticket tests."""

from tests.tickets.conftest import role_client, role_users  # noqa: F401  (fixtures)
