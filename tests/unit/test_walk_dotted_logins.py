"""Logins with a dot (issue 14 walk-through, finding 8; issue item 15): GitHub logins cannot
contain one, so the demo ships none, and an imported ``@lena.k`` mention never becomes a
person's login (the mention is kept as written, as a name)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from sprintdesk.markdown.importer import (
    NoLogin,
    apply_plan,
    import_review,
    import_summary,
    parse_plan,
)
from sprintdesk.markdown.render import render_markdown_file, render_plan
from sprintdesk.plan.demo import PEOPLE, load_demo
from sprintdesk.plan.model import Person, TeamItem
from sprintdesk.plan.roster import clean_login
from sprintdesk.storage.store import Store

PLAN = (
    "# Sprint Dots 1 - Mar 2 to Mar 13\n\n"
    "## Team Billing\n\n"
    "### High priority\n\n"
    "- Ship the dunning emails @not.a.login\n"
    "- Rotate the archive keys @priya_s\n"
)


def test_the_demo_people_have_logins_github_accepts(store: Store) -> None:
    for _name, login, _role in PEOPLE:
        assert login is None or clean_login(login) == login
    with store.unit_of_work() as session:
        load_demo(session)
        logins = [p.github_login for p in session.scalars(select(Person))]
    assert logins and all("." not in (login or "") for login in logins)
    assert "lena-k" in logins


def test_import_keeps_a_dotted_mention_as_written_and_makes_no_such_login(store: Store) -> None:
    with store.unit_of_work() as session:
        sprint = apply_plan(session, parse_plan(PLAN, today=date(2026, 3, 1)))
        items = {i.title: i for i in session.scalars(select(TeamItem))}
        dotted = items["Ship the dunning emails"].owner
        assert dotted is not None
        assert dotted.github_login is None and dotted.name == "@not.a.login"
        assert items["Rotate the archive keys"].owner.github_login == "priya_s"
        logins = {p.github_login for p in session.scalars(select(Person))}
        assert not any("." in (login or "") for login in logins)
        text = render_markdown_file(render_plan(sprint))
    # The mention reads back as written, once.
    assert text.count("@not.a.login") == 1
    with store.unit_of_work() as session:  # importing it again finds the same person
        apply_plan(session, parse_plan(PLAN, today=date(2026, 3, 1)))
        named = session.scalars(select(Person).where(Person.name == "@not.a.login")).all()
        assert len(named) == 1


def test_the_import_result_lists_each_mention_that_got_no_login(store: Store) -> None:
    # The confirming walk-through: "@not.a.login" became a person without a login, silently.
    # The result says which mention, as whom, and why (a structured field, not wording).
    plan = PLAN + "- Tidy the ledger @not.a.login\n- Audit the keys @_ops\n"
    with store.unit_of_work() as session:
        parsed = parse_plan(plan, today=date(2026, 3, 1))
        apply_plan(session, parsed)
    dotted = NoLogin("@not.a.login", "@not.a.login", "dot", "not-a-login")
    assert parsed.no_login == [dotted, NoLogin("@_ops", "@_ops", "characters", None)]
    review = import_review(parsed)
    assert sum("@not.a.login" in line for line in review) == 1  # once, for two mentions
    summary = import_summary(parsed.counts(), parsed.problems, parsed.no_login)
    assert "@not.a.login" in summary and "@_ops" in summary
    assert "priya_s" not in summary  # a login GitHub takes is not reported
    with store.unit_of_work() as session:  # again: matched by name, still without a login
        again = parse_plan(PLAN, today=date(2026, 3, 1))
        apply_plan(session, again)
    assert again.no_login == [dotted]
