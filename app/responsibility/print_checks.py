"""安全生产责任体系覆盖检查情况: the coverage check (横向到边、纵向到底) on paper.

A summary table (each rule, how many units it looked at, how many have a gap), then for each
rule with gaps the units concerned (enterprises with their number of employees), or one
sentence saying the coverage is complete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.platypus import Flowable

from app.i18n import format_date_chinese
from app.prints.document import OfficialDocument
from app.prints.fonts import FontSet
from app.prints.numbering import heading_number
from app.responsibility.coverage import Gap, Rule, check_coverage
from app.responsibility.print_common import UNIT_KIND_CHINESE, date_line, township_name

COMPLETE_SENTENCE = (
    "经检查，各科室、村（社区）和企业均已明确责任领导和责任人，安全生产责任体系覆盖完整。"
)
NUMBER_WIDTH = 32.0  # 序号: two characters of 小四 and the padding
ENTERPRISE_RULES = (Rule.ENTERPRISE_WITHOUT_SUPERVISOR, Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER)
TERRITORY_RULES = (Rule.TERRITORY_WITHOUT_PATRON, Rule.TERRITORY_WITHOUT_DIRECT)


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    checked: int  # units the rule looked at
    gaps: tuple[Gap, ...]


@dataclass(frozen=True)
class CoverageSnapshot:
    township_name: str
    as_of: dt.date
    results: tuple[RuleResult, ...]  # every rule, in Rule order

    @property
    def title(self) -> str:
        return f"{self.township_name}安全生产责任体系覆盖检查情况"

    @property
    def gap_count(self) -> int:
        return sum(len(result.gaps) for result in self.results)


def coverage_snapshot(day: dt.date) -> CoverageSnapshot:
    coverage = check_coverage(day)
    results = tuple(
        RuleResult(rule, coverage.checked.get(rule, 0), tuple(coverage.of(rule))) for rule in Rule
    )
    return CoverageSnapshot(township_name(), day, results)


def _employees(gap: Gap) -> str:
    return "—" if gap.employees is None else str(gap.employees)


class CoverageDocument(OfficialDocument):
    def __init__(self, snapshot: CoverageSnapshot, *, fonts: FontSet | None = None):
        super().__init__(fonts=fonts)
        self.snapshot = snapshot

    def document_title(self) -> str:
        return self.snapshot.title

    def story(self) -> list[Flowable]:
        snapshot = self.snapshot
        story: list[Flowable] = [
            self.title(snapshot.title),
            date_line(self, format_date_chinese(snapshot.as_of)),
            self.blank_lines(1),
        ]
        summary = [("序号", "检查项目", "检查单位（个）", "缺项（个）")]
        summary += [
            (str(number), result.rule.chinese, str(result.checked), str(len(result.gaps)))
            for number, result in enumerate(snapshot.results, 1)
        ]
        story.append(
            self.table(
                summary,
                self._widths(NUMBER_WIDTH, None, 92.0, 72.0),
                align=("center", "left", "center", "center"),
            )
        )
        story.append(self.blank_lines(1))
        if not snapshot.gap_count:
            story.append(self.paragraph(COMPLETE_SENTENCE))
            return story
        story.append(self.paragraph(f"经检查，共发现缺项{snapshot.gap_count}处，具体如下："))
        number = 0
        for result in snapshot.results:
            if not result.gaps:
                continue
            number += 1
            heading = f"{heading_number(1, number)}{result.rule.chinese}（{len(result.gaps)}个）"
            story += [self.heading(heading, 1), self._gap_table(result), self.blank_lines(0.5)]
        return story

    def _gap_table(self, result: RuleResult) -> Flowable:
        gaps = result.gaps
        if result.rule in ENTERPRISE_RULES:
            rows = [("序号", "企业名称", "从业人员（人）")]
            rows += [(str(n), gap.unit_name, _employees(gap)) for n, gap in enumerate(gaps, 1)]
            widths = self._widths(NUMBER_WIDTH, None, 92.0)
            align = ("center", "left", "center")
        elif result.rule in TERRITORY_RULES:
            rows = [("序号", "村（社区）名称", "类别")]
            rows += [
                (str(n), gap.unit_name, UNIT_KIND_CHINESE.get(gap.unit_kind, ""))
                for n, gap in enumerate(gaps, 1)
            ]
            widths = self._widths(NUMBER_WIDTH, None, 92.0)
            align = ("center", "left", "center")
        else:
            name = "科室名称" if result.rule == Rule.DEPARTMENT_WITHOUT_LEADER else "单位名称"
            rows = [("序号", name)]
            rows += [(str(n), gap.unit_name) for n, gap in enumerate(gaps, 1)]
            widths = self._widths(NUMBER_WIDTH, None)
            align = ("center", "left")
        return self.table(rows, widths, align=align)

    def _widths(self, *widths: float | None) -> list[float]:
        """Column widths in points; the one given as None takes the rest of the line."""
        rest = self.geometry.frame_width - sum(width or 0.0 for width in widths)
        return [rest if width is None else width for width in widths]
