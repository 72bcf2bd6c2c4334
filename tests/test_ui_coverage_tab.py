"""The coverage tab offscreen: counts per rule, each gap fixed right there, past days read only."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pypdf
import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog

from app.i18n import _
from app.org.kinds import PostKind, RiskClass
from app.responsibility.assignments import assignments_as_of, set_level
from app.responsibility.coverage import Rule
from app.responsibility.levels import Level
from app.roster import service
from app.roster.roles import GroupRole
from app.roster.service import MemberInput
from app.storage.models import Assignment, Person, Post, Unit
from ui import dialogs, tasks
from ui.dialogs.assign_dialog import AssignDialog, SafetyManagerDialog, SupervisorDialog
from ui.models.coverage_model import COL_UNIT
from ui.pages import responsibility
from ui.pages.responsibility import ResponsibilityPage, ResponsibilityTab
from ui.pages.responsibility.coverage_tab import GOOD_COLOR, CoverageTab
from ui.printing.preview import PrintPreviewDialog
from ui.widgets.forms import long_date

TODAY = dt.date(2025, 6, 30)
START = dt.date(2024, 1, 1)


class StubTab(ResponsibilityTab):
    """Stands in for the tabs other people build: records what it was asked to show."""

    def __init__(self, page: ResponsibilityPage):
        super().__init__(page)
        self.focused: list[object] = []

    def refresh(self) -> None:
        pass

    def focus_item(self, item: object) -> None:
        self.focused.append(item)


@pytest.fixture
def org() -> dict[str, int]:
    town = Unit.create(name="青禾镇", kind="township")
    ids: dict[str, int] = {"青禾镇": town.id}

    def unit(name: str, kind: str, order: int, **fields: object) -> int:
        ids[name] = Unit.create(name=name, kind=kind, parent=town, sort_order=order, **fields).id
        return ids[name]

    unit("应急管理办公室", "department", 1)
    unit("文化站", "department", 2)
    unit("常青村", "village", 101)
    unit("松岗村", "village", 102)
    unit("云峪社区", "community", 103)
    unit("建材生产", "industry", 501)
    unit(
        "宏达建材有限公司",
        "enterprise",
        1001,
        industry=ids["建材生产"],
        supervisor=ids["应急管理办公室"],
        employees=40,
        risk_class=RiskClass.KEY.value,
    )
    unit("丰田小学食堂", "enterprise", 1002, employees=6)
    Unit.update(parent=ids["常青村"]).where(Unit.kind == "enterprise").execute()

    def member(name: str, role: GroupRole, titles: str) -> int:
        service.add_member(MemberInput(name=name, role=role, titles=(titles,)), START)
        return Person.get(Person.name == name).id

    ids["周建国"] = member("周建国", GroupRole.LEADER, "镇党委书记")
    ids["李强"] = member("李强", GroupRole.DEPUTY, "副镇长")
    secretary = Person.create(name="金忠亮")
    ids["金忠亮"] = secretary.id
    Post.create(
        person=secretary,
        title="松岗村党总支书记",
        unit=ids["松岗村"],
        kind=PostKind.VILLAGE_SECRETARY.value,
        start_date=START,
    )
    Person.create(name="孙无职")  # recorded, but holds no post

    set_level(ids["李强"], ids["应急管理办公室"], Level.DIRECT_LEADERSHIP, START)
    for village in ("常青村", "松岗村"):
        set_level(ids["李强"], ids[village], Level.DIRECT_LEADERSHIP, START)
    for village in ("常青村", "云峪社区"):
        set_level(ids["周建国"], ids[village], Level.DIRECT, START)
    return ids


@pytest.fixture
def page(gui, qtbot, monkeypatch, org) -> ResponsibilityPage:
    for key in ("matrix", "grid"):
        monkeypatch.setitem(responsibility.TAB_FACTORIES, key, StubTab)
    page = ResponsibilityPage(today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.show_tab("coverage")
    return page


@pytest.fixture
def tab(page: ResponsibilityPage) -> CoverageTab:
    tab = page.tab("coverage")
    assert isinstance(tab, CoverageTab)
    return tab


def gaps_in_view(tab: CoverageTab) -> list[tuple[Rule, str]]:
    proxy = tab.proxy
    rows = [proxy.gap_at(proxy.index(row, COL_UNIT)) for row in range(proxy.rowCount())]
    return [(gap.rule, gap.unit_name) for gap in rows if gap is not None]


def select(tab: CoverageTab, rule: Rule, unit: str) -> None:
    unit_id = Unit.get(Unit.name == unit).id
    assert tab.select_gap(rule, unit_id)
    assert tab.selected_gap().unit_name == unit


def answer_with(monkeypatch, act: Callable[[QDialog], None]) -> list[QDialog]:
    seen: list[QDialog] = []

    def fake_run(dialog: QDialog) -> int:
        seen.append(dialog)
        act(dialog)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fake_run)
    return seen


EXPECTED_GAPS = [
    (Rule.DEPARTMENT_WITHOUT_LEADER, "文化站"),
    (Rule.TERRITORY_WITHOUT_PATRON, "云峪社区"),
    (Rule.TERRITORY_WITHOUT_DIRECT, "松岗村"),
    (Rule.ENTERPRISE_WITHOUT_SUPERVISOR, "丰田小学食堂"),
    (Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER, "宏达建材有限公司"),
]


# ---------------------------------------------------------------------------- showing


def test_counts_per_rule_and_every_gap(tab: CoverageTab) -> None:
    assert gaps_in_view(tab) == EXPECTED_GAPS
    # "1 of 2 departments has no overseeing leader": both numbers, per rule.
    department = tab.rule_labels[Rule.DEPARTMENT_WITHOUT_LEADER].text()
    assert "1" in department and "2" in department
    territory = tab.rule_labels[Rule.TERRITORY_WITHOUT_PATRON].text()
    assert "1" in territory and "3" in territory
    assert "5" in tab.headline.text()
    assert tab.body.currentWidget() is tab.table
    assert not tab.past_notice.isVisible()


def test_the_rule_filter_shows_one_rule(tab: CoverageTab) -> None:
    combo = tab.rule_combo
    combo.setCurrentIndex(combo.findData(Rule.TERRITORY_WITHOUT_DIRECT.value))
    assert gaps_in_view(tab) == [(Rule.TERRITORY_WITHOUT_DIRECT, "松岗村")]
    assert tab.selected_gap().unit_name == "松岗村"
    combo.setCurrentIndex(0)
    assert len(gaps_in_view(tab)) == 5


# ---------------------------------------------------------------------------- fixing


def test_fix_a_department_with_a_leader_of_the_group(tab: CoverageTab, monkeypatch, qtbot) -> None:
    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, AssignDialog)
        # The leading group is listed, in its order; nobody is chosen for the clerk.
        proxy = dialog.chooser.proxy
        assert [proxy.index(row, 0).data() for row in range(proxy.rowCount())] == [
            "周建国",
            "李强",
        ]
        assert dialog.chooser.selected() is None
        assert dialog.chooser.select_person(Person.get(Person.name == "李强").id)
        dialog.accept()

    answer_with(monkeypatch, choose)
    select(tab, Rule.DEPARTMENT_WITHOUT_LEADER, "文化站")
    with qtbot.waitSignal(tab.changed), qtbot.waitSignal(tab.status_message) as message:
        tab.fix_action.trigger()
    assert "李强" in message.args[0] and "文化站" in message.args[0]
    assert (Rule.DEPARTMENT_WITHOUT_LEADER, "文化站") not in gaps_in_view(tab)
    (line,) = assignments_as_of(TODAY, unit_id=Unit.get(Unit.name == "文化站").id)
    assert (line.person_name, line.level, line.start) == ("李强", Level.DIRECT_LEADERSHIP, TODAY)
    # The next gap takes the fixed one's place in the selection.
    assert tab.selected_gap() is not None


def test_the_leader_list_starts_with_the_group_and_can_show_everyone(
    tab: CoverageTab, monkeypatch
) -> None:
    seen: dict[str, list[str]] = {}

    def look(dialog: QDialog) -> None:
        chooser = dialog.chooser
        seen["suggested"] = [
            chooser.proxy.index(row, 0).data() for row in range(chooser.proxy.rowCount())
        ]
        chooser.everyone_check.setChecked(True)
        seen["everyone"] = [
            chooser.proxy.index(row, 0).data() for row in range(chooser.proxy.rowCount())
        ]
        chooser.everyone_check.setChecked(False)
        chooser.search_edit.setText("孙")  # a search looks through everyone
        seen["search"] = [
            chooser.proxy.index(row, 0).data() for row in range(chooser.proxy.rowCount())
        ]
        dialog.reject()

    answer_with(monkeypatch, look)
    select(tab, Rule.TERRITORY_WITHOUT_PATRON, "云峪社区")
    assert not tab.fix_gap()
    assert seen["suggested"] == ["周建国", "李强"]
    assert seen["everyone"][:2] == ["周建国", "李强"]
    assert set(seen["everyone"]) == {"周建国", "李强", "金忠亮", "孙无职"}
    assert seen["search"] == ["孙无职"]
    # Cancelled: nothing written, the gap stays.
    assert (Rule.TERRITORY_WITHOUT_PATRON, "云峪社区") in gaps_in_view(tab)


def test_choosing_someone_who_answers_at_another_level_says_what_changes(
    tab: CoverageTab, monkeypatch
) -> None:
    hints: list[str] = []

    def look(dialog: QDialog) -> None:
        dialog.show()
        dialog.chooser.select_person(Person.get(Person.name == "周建国").id)
        hints.append(dialog.hint_label.text())
        dialog.reject()

    answer_with(monkeypatch, look)
    select(tab, Rule.TERRITORY_WITHOUT_PATRON, "云峪社区")
    tab.fix_gap()
    assert "周建国" in hints[0] and Level.DIRECT.label in hints[0]


def test_fix_a_village_with_its_own_secretary(tab: CoverageTab, monkeypatch) -> None:
    offered: list[str] = []

    def accept_suggestion(dialog: QDialog) -> None:
        assert isinstance(dialog, AssignDialog)
        offered.append(dialog.chooser.selected().name)
        dialog.accept()

    answer_with(monkeypatch, accept_suggestion)
    select(tab, Rule.TERRITORY_WITHOUT_DIRECT, "松岗村")
    assert tab.fix_gap()
    assert offered == ["金忠亮"]  # the village's secretary, already chosen
    (line,) = [
        line
        for line in assignments_as_of(TODAY, unit_id=Unit.get(Unit.name == "松岗村").id)
        if line.level == Level.DIRECT
    ]
    assert line.person_name == "金忠亮"
    assert (Rule.TERRITORY_WITHOUT_DIRECT, "松岗村") not in gaps_in_view(tab)


def test_fix_an_enterprise_with_a_supervising_department(tab: CoverageTab, monkeypatch) -> None:
    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, SupervisorDialog)
        dialog.combo.setCurrentIndex(dialog.combo.findData(Unit.get(Unit.name == "文化站").id))
        dialog.accept()

    answer_with(monkeypatch, choose)
    select(tab, Rule.ENTERPRISE_WITHOUT_SUPERVISOR, "丰田小学食堂")
    assert tab.fix_gap()
    assert Unit.get(Unit.name == "丰田小学食堂").supervisor.name == "文化站"
    assert (Rule.ENTERPRISE_WITHOUT_SUPERVISOR, "丰田小学食堂") not in gaps_in_view(tab)


def test_fix_an_enterprise_with_a_new_safety_manager(tab: CoverageTab, monkeypatch, qtbot) -> None:
    def enter(dialog: QDialog) -> None:
        assert isinstance(dialog, SafetyManagerDialog)
        dialog.name_edit.setText("赵 安")
        dialog.phone_edit.setText("13800000001")
        dialog.accept()

    answer_with(monkeypatch, enter)
    select(tab, Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER, "宏达建材有限公司")
    with qtbot.waitSignal(tab.status_message) as message:
        assert tab.fix_gap()
    assert "赵安" in message.args[0]
    person = Person.get(Person.name == "赵安")
    post = Post.get(Post.person == person)
    assert person.phone == "13800000001"
    assert post.unit.name == "宏达建材有限公司"
    assert post.kind == PostKind.ENTERPRISE_SAFETY_MANAGER.value
    assert (post.start_date, post.end_date) == (TODAY, None)
    assert (Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER, "宏达建材有限公司") not in gaps_in_view(tab)


def test_a_safety_manager_without_a_name_is_refused_in_the_dialog(
    tab: CoverageTab, monkeypatch
) -> None:
    messages: dict[str, str] = {}

    def enter(dialog: QDialog) -> None:
        dialog.show()
        dialog.name_edit.setText("  ")
        dialog.accept()
        assert dialog.isVisible()  # still open, the message under the field
        assert dialog.errors.label("name").isVisible()
        messages.update(dialog.errors.messages())
        dialog.reject()

    answer_with(monkeypatch, enter)
    before = Person.select().count(), Post.select().count()
    select(tab, Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER, "宏达建材有限公司")
    assert not tab.fix_gap()
    assert messages.get("name")
    assert (Person.select().count(), Post.select().count()) == before
    assert len(gaps_in_view(tab)) == 5


def test_when_every_gap_is_fixed_the_tab_says_so(tab: CoverageTab, org) -> None:
    set_level(org["李强"], org["文化站"], Level.DIRECT_LEADERSHIP, TODAY)
    set_level(org["李强"], org["云峪社区"], Level.DIRECT_LEADERSHIP, TODAY)
    set_level(org["金忠亮"], org["松岗村"], Level.DIRECT, TODAY)
    Unit.update(supervisor=org["文化站"]).where(Unit.id == org["丰田小学食堂"]).execute()
    Post.create(
        person=org["金忠亮"],
        title="安全员",
        unit=org["宏达建材有限公司"],
        kind=PostKind.ENTERPRISE_SAFETY_MANAGER.value,
        start_date=TODAY,
    )
    tab.refresh()
    assert tab.coverage.complete
    assert tab.body.currentWidget() is tab.complete_page
    assert not tab.fix_action.isEnabled()
    assert tab.headline.text() == _(
        "Coverage is complete on {date}: every department, village, community and "
        "enterprise has someone answerable."
    ).format(date=long_date(TODAY))
    assert GOOD_COLOR in tab.headline.styleSheet()
    assert all(label.text() for label in tab.rule_labels.values())


# ---------------------------------------------------------------------------- days


def test_a_past_day_is_read_only(tab: CoverageTab, monkeypatch, org) -> None:
    opened = answer_with(monkeypatch, lambda dialog: dialog.accept())
    # On the first day of 2024 nobody had been assigned yet: every area is a gap then.
    tab.as_of_edit.setDate(QDate(2023, 12, 31))
    assert tab.past_notice.isVisible()
    assert len(gaps_in_view(tab)) > 5
    tab.select_row(0)
    assert not tab.fix_action.isEnabled()
    assert not tab.fix_gap()
    assert opened == []
    tab.today_button.click()
    assert tab.as_of == TODAY and not tab.past_notice.isVisible()
    assert gaps_in_view(tab) == EXPECTED_GAPS


def test_a_future_day_fixes_from_that_day(tab: CoverageTab, monkeypatch) -> None:
    later = TODAY + dt.timedelta(days=30)

    def choose(dialog: QDialog) -> None:
        dialog.chooser.select_person(Person.get(Person.name == "李强").id)
        dialog.accept()

    answer_with(monkeypatch, choose)
    tab.set_as_of(later)
    select(tab, Rule.DEPARTMENT_WITHOUT_LEADER, "文化站")
    assert tab.fix_gap()
    row = Assignment.get(Assignment.unit == Unit.get(Unit.name == "文化站").id)
    assert row.start_date == later


# ---------------------------------------------------------------------------- elsewhere


def test_open_in_grid_and_show_in_units(page: ResponsibilityPage, tab: CoverageTab) -> None:
    select(tab, Rule.TERRITORY_WITHOUT_PATRON, "云峪社区")
    assert tab.grid_action.isEnabled() and not tab.units_action.isEnabled()
    tab.grid_action.trigger()
    grid = page.tab("grid")
    assert grid.focused == [Unit.get(Unit.name == "云峪社区").id]
    assert page.tabs.currentWidget() is grid

    page.show_tab("coverage")
    select(tab, Rule.ENTERPRISE_WITHOUT_SUPERVISOR, "丰田小学食堂")
    assert tab.units_action.isEnabled() and not tab.grid_action.isEnabled()
    tab.units_action.trigger()
    units_tab = page.tab("units")
    assert page.tabs.currentWidget() is units_tab
    assert units_tab.selected_line().name == "丰田小学食堂"


def test_a_fix_marks_the_other_tabs_stale(page: ResponsibilityPage, tab: CoverageTab, monkeypatch):
    page.tab("units")
    answer_with(monkeypatch, lambda dialog: (dialog.combo.setCurrentIndex(0), dialog.accept()))
    select(tab, Rule.ENTERPRISE_WITHOUT_SUPERVISOR, "丰田小学食堂")
    assert tab.fix_gap()
    page.show_tab("units")
    line = page.tab("units").model.line(
        page.tab("units").model.row_of(Unit.get(Unit.name == "丰田小学食堂").id)
    )
    assert line.supervisor_name


def test_print_shows_the_check_in_a_preview(tab: CoverageTab, monkeypatch, qtbot) -> None:
    seen: list[QDialog] = []

    def keep(dialog: QDialog) -> int:
        seen.append(dialog)
        return 0

    monkeypatch.setattr(dialogs, "run_dialog", keep)
    tab.print_action.trigger()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=20000)
    assert len(seen) == 1 and isinstance(seen[0], PrintPreviewDialog)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(seen[0].pdf)).pages)
    assert "文化站" in text and "云峪社区" in text
    seen[0].reject()


def test_fixing_the_last_gap_of_a_rule_shows_every_gap_again(tab: CoverageTab, monkeypatch) -> None:
    def choose(dialog: QDialog) -> None:
        dialog.chooser.select_person(Person.get(Person.name == "李强").id)
        dialog.accept()

    answer_with(monkeypatch, choose)
    combo = tab.rule_combo
    combo.setCurrentIndex(combo.findData(Rule.DEPARTMENT_WITHOUT_LEADER.value))
    assert tab.fix_gap()
    assert tab.proxy.rule is None and combo.currentIndex() == 0
    assert len(gaps_in_view(tab)) == 4
    assert tab.selected_gap() is not None
