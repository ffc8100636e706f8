"""What the shop holds about a person (LGPD, Lei 13.709/2018, art. 18): the copy they may
ask for and the erasure of an account.

accounts imports no other app, so each app that keeps something of a user registers a
Section here (in its AppConfig.ready): the models it answers for, how it exports a user's
rows, how it anonymises them, and what stops an erasure (an order in flight). The tests
list every model that points at a user or holds an e-mail, CPF, name, phone or address and
fail when one is in no section, so a later feature cannot forget it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from accounts.models import User


@dataclass(frozen=True)
class Section:
    name: str
    models: tuple[type[models.Model], ...]
    export: Callable[[User], Any]
    anonymise: Callable[[User], None] = lambda user: None
    # Raises an ApplicationError when the account may not be erased now.
    refuse_erasure: Callable[[User], None] = lambda user: None
    # Models named for the record: they hold nothing of the person to export or erase.
    reviewed: dict[type[models.Model], str] = field(default_factory=dict)


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.name] = section


def sections() -> list[Section]:
    return list(_SECTIONS.values())


def export(user: User) -> dict[str, Any]:
    """Everything the shop holds about `user`, by section."""
    return {section.name: section.export(user) for section in sections()}


def refuse_erasure(user: User) -> None:
    for section in sections():
        section.refuse_erasure(user)


def anonymise(user: User) -> None:
    """Each section's erasure, the account's own (its profile) last."""
    ordered = sorted(sections(), key=lambda section: section.name == "profile")
    for section in ordered:
        section.anonymise(user)
