"""The workbench's sections: each app adds its own from its AppConfig.ready, so core imports no app."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.models import User

# None: the section has nothing for this user and is left off the page.
SectionContext = Callable[[User], dict[str, Any] | None]


@dataclass(frozen=True)
class HomeSection:
    template: str
    context: SectionContext
    order: int


_SECTIONS: dict[str, HomeSection] = {}


def register_home_section(template: str, context: SectionContext, *, order: int) -> None:
    """Show `template` on the workbench, rendered with `section` = context(user); lower order first."""
    _SECTIONS[template] = HomeSection(template, context, order)


def home_sections_for(user: User) -> list[tuple[str, dict[str, Any]]]:
    sections = [(s.template, s.context(user)) for s in sorted(_SECTIONS.values(), key=lambda s: s.order)]
    return [(template, context) for template, context in sections if context is not None]
