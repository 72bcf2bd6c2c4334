"""Numbered duty lists per kind of post (岗位安全职责).

A list is kept as rows with positions 1…n; the printed number "（三）" always follows the
position, so moving or removing an item renumbers the rest.  Saving replaces a kind's whole
list in one transaction: what a clerk sees in the editor is what is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.i18n import _
from app.org.kinds import PostKind
from app.prints.numbering import heading_number
from app.responsibility.default_duties import DEFAULT_DUTIES
from app.storage.bulk import chunks, insert_rows
from app.storage.db import database_proxy
from app.storage.models import Duty

# Every kind of post that has a duty list, in the order of the editor and of print.
DUTY_KINDS: tuple[PostKind, ...] = tuple(kind for kind in PostKind if kind != PostKind.OTHER)
MAX_TEXT = 1000
MAX_CLAUSE = 200


@dataclass(frozen=True)
class DutyItem:
    text: str
    clause: str = ""


class DutyError(ValueError):
    """A list that cannot be saved; ``problems`` maps an item's 1-based number to why."""

    def __init__(self, problems: dict[int, str]):
        self.problems = problems
        super().__init__(
            "\n".join(
                _("Duty {number}: {reason}").format(number=duty_number(number), reason=reason)
                for number, reason in sorted(problems.items())
            )
        )


def duty_number(position: int) -> str:
    """（一）（二）…: how a duty is numbered on screen and in print."""
    return heading_number(2, position)


def duties_of(kind: PostKind) -> list[DutyItem]:
    query = Duty.select(Duty.text, Duty.clause).where(Duty.post_kind == kind.value)
    return [DutyItem(text, clause) for text, clause in query.order_by(Duty.position).tuples()]


def duties_by_kind(kinds: Iterable[PostKind] = DUTY_KINDS) -> dict[PostKind, list[DutyItem]]:
    """Several kinds' lists in one query, each in its order."""
    wanted = [kind.value for kind in kinds]
    result: dict[PostKind, list[DutyItem]] = {PostKind(code): [] for code in wanted}
    query = (
        Duty.select(Duty.post_kind, Duty.text, Duty.clause)
        .where(Duty.post_kind.in_(wanted))
        .order_by(Duty.post_kind, Duty.position)
        .tuples()
    )
    for code, text, clause in query:
        result[PostKind(code)].append(DutyItem(text, clause))
    return result


def cleaned(items: Sequence[DutyItem]) -> list[DutyItem]:
    """The items with spaces trimmed, or DutyError naming each bad one."""
    result: list[DutyItem] = []
    problems: dict[int, str] = {}
    for number, item in enumerate(items, start=1):
        text = " ".join(item.text.split())
        clause = " ".join(item.clause.split())
        if not text:
            problems[number] = _("The duty is empty; write it or remove the item.")
        elif len(text) > MAX_TEXT:
            problems[number] = _("The duty is longer than {limit} characters.").format(
                limit=MAX_TEXT
            )
        elif len(clause) > MAX_CLAUSE:
            problems[number] = _("The clause is longer than {limit} characters.").format(
                limit=MAX_CLAUSE
            )
        result.append(DutyItem(text, clause))
    if problems:
        raise DutyError(problems)
    return result


def save_duties(kind: PostKind, items: Sequence[DutyItem]) -> None:
    """Make ``items`` the kind's whole list, numbered in this order."""
    items = cleaned(items)
    with database_proxy.atomic():
        Duty.delete().where(Duty.post_kind == kind.value).execute()
        insert_rows(
            Duty,
            [
                {"post_kind": kind.value, "position": position, "text": i.text, "clause": i.clause}
                for position, i in enumerate(items, start=1)
            ],
        )


def default_duties(kind: PostKind) -> list[DutyItem]:
    return [DutyItem(text) for text in DEFAULT_DUTIES.get(kind, ())]


def restore_defaults(kind: PostKind) -> None:
    save_duties(kind, default_duties(kind))


def install_defaults() -> None:
    """Give every kind that has no list yet the built-in one (a new or upgraded database)."""
    present = {code for (code,) in Duty.select(Duty.post_kind).distinct().tuples()}
    for kind in DUTY_KINDS:
        if kind.value not in present and kind in DEFAULT_DUTIES:
            save_duties(kind, default_duties(kind))


def kinds_held(person_ids: Sequence[int], day: dt.date) -> dict[int, set[PostKind]]:
    """The kinds of post whose duties each person carries on ``day``.

    From their posts, read the way the policies read them: a principal's duties include what a
    deputy title of theirs (镇党委副书记) would add; the deputy who supervises the township's
    work safety (综合监管, whatever the title says) carries that duty list instead of the
    other deputies'.
    """
    from app.responsibility.levels import Level
    from app.storage.models import Assignment, Post, active_on

    held: dict[int, set[PostKind]] = {pid: set() for pid in person_ids}
    known = {kind.value: kind for kind in DUTY_KINDS}
    supervising: set[int] = set()
    for chunk in chunks(list(person_ids)):
        query = Post.select(Post.person, Post.kind).where(
            Post.person.in_(chunk) & active_on(Post, day)
        )
        for pid, kind in query.tuples():
            if kind in known:
                held[pid].add(known[kind])
        supervising.update(
            pid
            for (pid,) in Assignment.select(Assignment.person)
            .where(
                Assignment.person.in_(chunk)
                & active_on(Assignment, day)
                & (Assignment.level == Level.SUPERVISION.value)
            )
            .tuples()
        )
    principals = {PostKind.PARTY_SECRETARY, PostKind.TOWNSHIP_HEAD}
    for pid, kinds in held.items():
        if pid in supervising and kinds & {PostKind.DEPUTY, PostKind.SAFETY_DEPUTY}:
            kinds.add(PostKind.SAFETY_DEPUTY)
        if kinds & principals or PostKind.SAFETY_DEPUTY in kinds:
            kinds.discard(PostKind.DEPUTY)
    return held
