"""The rules tab of the meetings page offscreen: the default rules listed, a rule added through
the dialog, a window that does not fit the period refused with nothing written, switching a
rule off, and delete after the clerk confirms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from app.meetings.kinds import MeetingKind
from app.obligations.engine import obligations_as_of
from app.obligations.periods import Period
from app.obligations.rules import Activity, SubjectKind, default_rules, list_rules
from app.roster import service as roster
from app.roster.roles import GroupRole
from app.storage.models import ObligationRule, Person
from ui import dialogs
from ui.dialogs.rule_dialog import RuleDialog
from ui.pages.meetings import TAB_RULES, MeetingsPage
from ui.pages.meetings.rules_tab import COL_ACTIVE, COL_NOTE, COL_WHAT, COL_WINDOW

TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def page(gui, qtbot) -> MeetingsPage:
    roster.add_member(
        roster.MemberInput(name="周建国", role=GroupRole.LEADER, titles=("镇党委书记",)),
        dt.date(2024, 1, 1),
    )
    page = MeetingsPage(today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.show_tab(TAB_RULES)
    return page


def answer_with(monkeypatch: pytest.MonkeyPatch, act: Callable[[Any], None]) -> list[QDialog]:
    seen: list[QDialog] = []

    def fake_run(dialog: QDialog) -> int:
        seen.append(dialog)
        act(dialog)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fake_run)
    return seen


def choose(combo, data: object) -> None:  # type: ignore[no-untyped-def]
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def row_of_kind(page: MeetingsPage, kind: MeetingKind) -> int:
    rules = page.rules_tab.model.rules()
    return next(row for row, rule in enumerate(rules) if rule.activity_code == kind.value)


def test_lists_the_default_rules(page: MeetingsPage) -> None:
    model = page.rules_tab.model
    assert model.rowCount() == len(default_rules()) == ObligationRule.select().count()
    whats = [model.index(row, COL_WHAT).data() for row in range(model.rowCount())]
    assert MeetingKind.PARTY_COMMITTEE.label in whats
    routine = row_of_kind(page, MeetingKind.QUARTERLY_ROUTINE)
    assert model.index(routine, COL_WINDOW).data() != "—"
    assert model.index(routine, COL_ACTIVE).data() == "✓"
    inspection = next(
        row for row, rule in enumerate(model.rules()) if rule.activity is Activity.INSPECTION
    )
    assert model.index(inspection, COL_ACTIVE).data() == "✗"
    assert model.index(inspection, COL_NOTE).data() == Activity.INSPECTION.pending_note
    # An inspection rule cannot be switched on while inspections are not recorded.
    page.rules_tab.select_rule(model.rules()[inspection].id)
    assert not page.rules_tab.active_action.isEnabled()


def test_add_a_rule_through_the_dialog(page: MeetingsPage, monkeypatch, qtbot) -> None:
    person = int(Person.get(Person.name == "周建国").id)

    def fill(dialog: RuleDialog) -> None:
        choose(dialog.subject_kind_combo, SubjectKind.PERSON.value)
        dialog.person_combo.set_person_id(person)
        choose(dialog.activity_combo, Activity.MEETING.value)
        choose(dialog.code_combo, MeetingKind.LEADING_GROUP.value)
        dialog.at_least_spin.setValue(2)
        choose(dialog.period_combo, Period.YEAR.value)
        dialog.set_window("month:3")
        dialog.clause_edit.setText("  镇领导小组工作规则  第三条 ")
        dialog.active_check.setChecked(True)
        dialog.accept()

    before = len(list_rules())
    with qtbot.waitSignal(page.meetings_changed):
        seen = answer_with(monkeypatch, fill)
        page.rules_tab.add_action.trigger()
    assert len(seen) == 1
    rules = list_rules()
    assert len(rules) == before + 1
    added = rules[-1]
    assert (added.subject_kind, added.subject) == (SubjectKind.PERSON, str(person))
    assert added.activity_code == MeetingKind.LEADING_GROUP.value
    assert (added.at_least, added.period, added.window) == (2, Period.YEAR, "month:3")
    assert added.clause == "镇领导小组工作规则 第三条"
    assert page.rules_tab.selected_rule() == added
    assert page.rules_tab.model.index(len(rules) - 1, 0).data() == "周建国"
    assert any(item.rule.id == added.id for item in obligations_as_of(TODAY))


def test_a_window_that_does_not_fit_the_period_is_refused(page: MeetingsPage, monkeypatch) -> None:
    before = [(rule.id, rule.window, rule.period) for rule in list_rules()]
    routine = row_of_kind(page, MeetingKind.QUARTERLY_ROUTINE)
    page.rules_tab.select_rule(page.rules_tab.model.rules()[routine].id)

    def change(dialog: RuleDialog) -> None:
        assert dialog.window_code() == "first_month_of_quarter"
        # A monthly rule cannot be held in the quarter's first month: offered, flagged.
        choose(dialog.period_combo, Period.MONTH.value)
        assert dialog.window_code() == "first_month_of_quarter"
        dialog.accept()

    seen = answer_with(monkeypatch, change)
    assert not page.rules_tab.edit_selected()
    dialog = seen[0]
    assert isinstance(dialog, RuleDialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.saved_rule is None
    message = dialog.errors.messages()
    assert set(message) == {"window"}
    assert "first_month_of_quarter" in message["window"]
    assert not dialog.errors.label("window").isHidden()
    assert [(rule.id, rule.window, rule.period) for rule in list_rules()] == before


def test_switching_a_rule_off_stops_counting_it(page: MeetingsPage, qtbot) -> None:
    tab = page.rules_tab
    party = tab.model.rules()[row_of_kind(page, MeetingKind.PARTY_COMMITTEE)]
    assert any(item.rule.id == party.id for item in obligations_as_of(TODAY))
    tab.select_rule(party.id)
    assert tab.active_action.isEnabled()
    with qtbot.waitSignal(page.meetings_changed):
        tab.active_action.trigger()
    assert not any(item.rule.id == party.id for item in obligations_as_of(TODAY))
    row = tab.model.row_of(party.id)
    assert tab.model.index(row, COL_ACTIVE).data() == "✗"
    assert tab.selected_rule() is not None and not tab.selected_rule().active
    # And on again.
    tab.active_action.trigger()
    assert any(item.rule.id == party.id for item in obligations_as_of(TODAY))


def test_delete_after_confirming(page: MeetingsPage, monkeypatch, qtbot) -> None:
    tab = page.rules_tab
    party = tab.model.rules()[row_of_kind(page, MeetingKind.PARTY_COMMITTEE)]
    tab.select_rule(party.id)
    answer = {"button": QMessageBox.StandardButton.No}
    asked: list[str] = []

    def ask(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer["button"]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(ask))
    assert not tab.delete_selected()
    assert ObligationRule.get_or_none(ObligationRule.id == party.id) is not None
    answer["button"] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(page.meetings_changed):
        assert tab.delete_selected()
    assert len(asked) == 2
    assert ObligationRule.get_or_none(ObligationRule.id == party.id) is None
    assert tab.model.row_of(party.id) == -1
    assert not any(item.rule.id == party.id for item in obligations_as_of(TODAY))
