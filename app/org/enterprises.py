"""What the coverage check asks of an enterprise: a supervising department (行业监管科室) and,
from 10 employees on, a safety manager."""

from __future__ import annotations

import datetime as dt

from peewee import fn

from app.i18n import _
from app.io.text import normalize_name
from app.org.kinds import PostKind, UnitKind
from app.org.people import find_person
from app.org.units import (
    GENERAL,
    MAX_PERSON_NAME,
    MAX_PHONE,
    MAX_TITLE,
    SAFETY_MANAGER_KINDS,
    UnitError,
)
from app.storage.db import database_proxy
from app.storage.models import (
    Person,
    Post,
    Unit,
    active_on,
)


def _enterprise(unit_id: int) -> Unit:
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        raise UnitError({GENERAL: _("The unit no longer exists.")})
    if unit.kind != UnitKind.ENTERPRISE.value:
        raise UnitError({GENERAL: _("{unit} is not an enterprise.").format(unit=unit.name)})
    return unit


def set_supervisor(enterprise_id: int, department_id: int | None) -> None:
    """The department that supervises the enterprise (行业监管); None: none yet."""
    with database_proxy.atomic():
        unit = _enterprise(enterprise_id)
        if department_id is not None:
            department = Unit.get_or_none(Unit.id == department_id)
            if department is None or department.kind != UnitKind.DEPARTMENT.value:
                raise UnitError(
                    {"supervisor": _("The department chosen no longer exists; choose another.")}
                )
        Unit.update(supervisor=department_id).where(Unit.id == unit.id).execute()


def suggested_supervisor(enterprise_id: int) -> int | None:
    """The department that supervises most other enterprises of the same industry, if any."""
    unit = Unit.get_or_none(Unit.id == enterprise_id)
    if unit is None or unit.industry_id is None:
        return None
    query = (
        Unit.select(Unit.supervisor, fn.COUNT(Unit.id).alias("n"))
        .where(
            (Unit.industry == unit.industry_id)
            & (Unit.id != unit.id)
            & Unit.supervisor.is_null(False)
        )
        .group_by(Unit.supervisor)
        .order_by(fn.COUNT(Unit.id).desc(), Unit.supervisor)
        .tuples()
        .first()
    )
    return int(query[0]) if query else None


def safety_manager_title(enterprise_name: str) -> str:
    """The title a new safety manager gets unless the clerk writes another (it prints)."""
    return f"{enterprise_name}安全管理员"


def validate_safety_manager(
    enterprise_id: int, name: str, phone: str, title: str, day: dt.date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    unit = Unit.get_or_none(Unit.id == enterprise_id)
    if unit is None or unit.kind != UnitKind.ENTERPRISE.value:
        return {GENERAL: _("The enterprise no longer exists.")}
    name = normalize_name(name)
    if not name:
        errors["name"] = _("Enter the safety manager's name.")
    elif len(name) > MAX_PERSON_NAME:
        errors["name"] = _("The name is longer than {limit} characters.").format(
            limit=MAX_PERSON_NAME
        )
    if len(phone.strip()) > MAX_PHONE:
        errors["phone"] = _("The phone number is longer than {limit} characters.").format(
            limit=MAX_PHONE
        )
    title = " ".join(title.split())
    if not title:
        errors["title"] = _("Enter the title as it should print.")
    elif len(title) > MAX_TITLE:
        errors["title"] = _("The title is longer than {limit} characters.").format(limit=MAX_TITLE)
    if "name" not in errors:
        person = find_person(name)
        if person is not None:
            holds = Post.select().where(
                (Post.person == person.id)
                & (Post.unit == enterprise_id)
                & Post.kind.in_([kind.value for kind in SAFETY_MANAGER_KINDS])
                & active_on(Post, day)
            )
            if holds.exists():
                errors["name"] = _("{name} is already the safety manager of {unit}.").format(
                    name=name, unit=unit.name
                )
    return errors


def add_safety_manager(
    enterprise_id: int, name: str, phone: str, day: dt.date, *, title: str = ""
) -> int:
    """The person (found by name, or created) is the enterprise's safety manager from ``day``.

    Returns the person's id.  A known person keeps their phone unless they had none.
    """
    with database_proxy.atomic():
        unit = _enterprise(enterprise_id)
        title = " ".join((title or safety_manager_title(unit.name)).split())
        errors = validate_safety_manager(enterprise_id, name, phone, title, day)
        if errors:
            raise UnitError(errors)
        name = normalize_name(name)
        phone = phone.strip()
        person = find_person(name)
        if person is None:
            person = Person.create(name=name, phone=phone)
        elif phone and not person.phone:
            Person.update(phone=phone).where(Person.id == person.id).execute()
        last = (
            Post.select(fn.MAX(Post.sort_order))
            .where((Post.person == person.id) & active_on(Post, day))
            .scalar()
        )
        Post.create(
            person=person.id,
            title=title,
            unit=unit.id,
            kind=PostKind.ENTERPRISE_SAFETY_MANAGER.value,
            sort_order=0 if last is None else int(last) + 1,
            start_date=day,
        )
        return int(person.id)
