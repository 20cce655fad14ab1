"""Fixtures of the member tests beyond the personas: a worker's account (a rider, no member record)."""

import pytest

from sanxin.accounts.services import grant_initial_roles, user_create
from sanxin.core.roles import Role
from tests.conftest import PASSWORD


@pytest.fixture
def worker(personas):
    """A rider's account (新就业群体从业人员) of the street, with no member record."""
    user = user_create(
        actor=None, username="rider", full_name="张骑手", unit=personas["township"].unit, password=PASSWORD, must_change_password=False
    )
    grant_initial_roles(user=user, roles=[Role.WORKER])
    return user
