"""The life app's world (a street's branch with the member persona as a mobile member, another county's branch)."""

from tests.life.conftest import branch, meeting, members, other_branch  # noqa: F401
