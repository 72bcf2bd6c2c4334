"""People and the titles they hold over time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from peewee import fn

from app.org.kinds import PostKind, UnitKind, infer_post_kind
from app.storage.bulk import chunks, insert_rows
from app.storage.models import Person, Post, Unit, active_on, end_before

ONE_DAY = dt.timedelta(days=1)


def find_person(name: str) -> Person | None:
    """The person of that name; the earliest recorded one if the name is shared."""
    return Person.select().where(Person.name == name).order_by(Person.id).first()


def find_or_create_person(name: str, phone: str = "") -> Person:
    person = find_person(name)
    if person is None:
        person = Person.create(name=name, phone=phone)
    return person


def titles_by_person(person_ids: Iterable[int], day: dt.date) -> dict[int, list[str]]:
    """Each person's titles held on ``day``, in their printed order (one query for all)."""
    ids = list(person_ids)
    result: dict[int, list[str]] = {pid: [] for pid in ids}
    if not ids:
        return result
    for chunk in chunks(ids):
        query = (
            Post.select(Post.person, Post.title)
            .where(Post.person.in_(chunk) & active_on(Post, day))
            .order_by(Post.person, Post.sort_order, Post.id)
            .tuples()
        )
        for person_id, title in query:
            result[person_id].append(title)
    return result


def current_posts(person: Person, day: dt.date) -> list[Post]:
    return list(
        Post.select()
        .where((Post.person == person) & active_on(Post, day))
        .order_by(Post.sort_order, Post.id)
    )


class UnitMatcher:
    """Finds the unit a title names at its start ("常青村党总支书记" → 常青村).

    Built once per operation: an import of thousands of rows must not query per title.
    """

    def __init__(self) -> None:
        units = Unit.select(Unit.id, Unit.name, Unit.kind).where(
            Unit.kind != UnitKind.TOWNSHIP.value
        )
        self._ids = {unit.name: unit.id for unit in units}
        self._kinds = {unit.id: UnitKind(unit.kind) for unit in units}
        self._longest = max((len(name) for name in self._ids), default=0)

    def post_kind(self, title: str) -> PostKind:
        """The kind of post the title names (see kinds.infer_post_kind)."""
        unit_id = self.unit_id(title)
        return infer_post_kind(title, self._kinds.get(unit_id) if unit_id else None)

    def unit_id(self, title: str) -> int | None:
        # The longest known unit name that the title starts with.
        for length in range(min(self._longest, len(title)), 1, -1):
            unit_id = self._ids.get(title[:length])
            if unit_id is not None:
                return unit_id
        return None


def add_posts(
    person: Person, titles: Sequence[str], day: dt.date, units: UnitMatcher | None = None
) -> None:
    """Give a person who holds nothing yet these titles from ``day`` (one insert)."""
    if not titles:
        return
    units = units or UnitMatcher()
    insert_rows(
        Post,
        [
            {
                "person": person.id,
                "title": title,
                "unit": units.unit_id(title),
                "kind": units.post_kind(title).value,
                "sort_order": order,
                "start_date": day,
            }
            for order, title in enumerate(titles)
        ],
    )


def set_titles(
    person: Person, titles: Sequence[str], day: dt.date, units: UnitMatcher | None = None
) -> bool:
    """Make the person's titles from ``day`` on exactly ``titles`` (in this order).

    Titles that stay keep their history; dropped ones end the day before (or vanish if they
    began on ``day``); new ones begin on ``day``; a changed order takes effect from ``day``.
    A later recorded change still happens when it was recorded: what this writes stops the
    day before it.  Returns whether anything changed.
    """
    posts = current_posts(person, day)
    by_title = {post.title: post for post in posts}
    until = _next_change(person, day)
    changed = False
    for post in posts:
        if post.title not in titles:
            end_before(post, day)
            changed = True
    for order, title in enumerate(titles):
        post = by_title.get(title)
        if post is None:
            units = units or UnitMatcher()
            Post.create(
                person=person,
                title=title,
                unit=units.unit_id(title),
                kind=units.post_kind(title).value,
                sort_order=order,
                start_date=day,
                end_date=until,
            )
            changed = True
        elif post.sort_order != order:
            _continue_post(post, day, sort_order=order)
            changed = True
    return changed


def _next_change(person: Person, day: dt.date) -> dt.date | None:
    """The last day before the person's titles next change after ``day``, if they do."""
    later_start = (
        Post.select(fn.MIN(Post.start_date))
        .where((Post.person == person) & (Post.start_date > day))
        .scalar()
    )
    return later_start - ONE_DAY if later_start is not None else None


def _continue_post(post: Post, day: dt.date, **fields: object) -> None:
    """The post changes from ``day`` on (its order, its holder); earlier days keep it as was."""
    if post.start_date >= day:
        Post.update(**fields).where(Post.id == post.id).execute()
        return
    values: dict[str, object] = {
        "person": post.person_id,
        "title": post.title,
        "unit": post.unit_id,
        "kind": post.kind,
        "sort_order": post.sort_order,
        "start_date": day,
        "end_date": post.end_date,
    }
    values.update(fields)
    Post.create(**values)
    end_before(post, day)


def transfer_posts(
    predecessor: Person, successor: Person, day: dt.date, titles: Sequence[str] | None = None
) -> list[str]:
    """继任: the predecessor's posts (those named, or all) pass to the successor from ``day``.

    Each keeps its unit and kind; the predecessor's ends the day before.  The passed titles
    come first among the successor's titles (a title the successor already holds is not
    doubled).  Returns the titles passed.
    """
    passing = [
        post for post in current_posts(predecessor, day) if titles is None or post.title in titles
    ]
    held = {post.title for post in current_posts(successor, day)}
    for post in passing:
        if post.title not in held:
            _continue_post(post, day, person=successor.id)
        else:
            end_before(post, day)
    passed = [post.title for post in passing]
    own = [title for title in titles_by_person([successor.id], day)[successor.id]]
    set_titles(successor, passed + [t for t in own if t not in passed], day)
    return passed


@dataclass(frozen=True)
class PersonChoice:
    """A person offered in a list to choose from, with the titles they hold on the day."""

    id: int
    name: str
    titles: tuple[str, ...] = ()

    @property
    def titles_text(self) -> str:
        return "、".join(self.titles)


def people_on(day: dt.date, *, everyone: bool = False) -> list[PersonChoice]:
    """People holding a post on ``day`` (or, with ``everyone``, every person recorded), by id."""
    query = Person.select(Person.id)
    if not everyone:
        query = query.join(Post).where(active_on(Post, day)).distinct()
    return person_choices([pid for (pid,) in query.order_by(Person.id).tuples()], day)


def person_choices(person_ids: Sequence[int], day: dt.date) -> list[PersonChoice]:
    """The people with their titles on ``day``, in the order given."""
    names: dict[int, str] = {}
    for chunk in chunks(list(person_ids)):
        names.update(Person.select(Person.id, Person.name).where(Person.id.in_(chunk)).tuples())
    titles = titles_by_person(names, day)
    return [PersonChoice(pid, names[pid], tuple(titles[pid])) for pid in person_ids if pid in names]


def holders_in(unit_id: int, day: dt.date, kinds: Sequence[PostKind] | None = None) -> list[int]:
    """Ids of the people holding a post (of these kinds, or any) in the unit on ``day``, in
    post order: the village secretary, the department head …"""
    where = (Post.unit == unit_id) & active_on(Post, day)
    if kinds is not None:
        where &= Post.kind.in_([kind.value for kind in kinds])
    query = Post.select(Post.person).where(where).order_by(Post.start_date, Post.id).tuples()
    return list(dict.fromkeys(pid for (pid,) in query))
