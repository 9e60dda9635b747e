"""GitHub logins in the roster (sprintdesk.plan.roster.clean_login and add/update person)."""

from __future__ import annotations

import pytest

from sprintdesk.plan import roster
from sprintdesk.storage.store import Store


@pytest.mark.parametrize("login", ["lena.k", "@lena.k", "a.b.c"])
def test_roster_refuses_a_login_with_a_dot(store: Store, login: str) -> None:
    with store.unit_of_work() as session, pytest.raises(roster.RosterError) as caught:
        roster.add_person(session, "Lena K", login)
    message = str(caught.value)
    assert "lena.k" in message.lower() or "a.b.c" in message
    assert "cannot contain a dot" in message


def test_roster_refuses_a_dot_when_a_login_is_changed(store: Store) -> None:
    with store.unit_of_work() as session:
        person = roster.add_person(session, "Lena K", "lena-k")
        with pytest.raises(roster.RosterError, match="cannot contain a dot"):
            roster.update_person(session, person, login="lena.k")
        assert person.github_login == "lena-k"


@pytest.mark.parametrize("login", ["lena-k", "Lena42", "lena_acme", "@ana"])
def test_roster_accepts_github_logins(login: str) -> None:
    assert roster.clean_login(login) == login.lstrip("@")
