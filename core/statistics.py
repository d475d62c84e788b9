"""The figures the office reports upward (docs/domain.md §4.1), keyed by their codes.

Each app registers its statistics in its own statistics.py, computed by its selectors,
so the dashboard, the exports, `manage.py stats` and the tests read the same numbers.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.utils.module_loading import autodiscover_modules

Statistic = Callable[[], Any]
_REGISTRY: dict[str, Statistic] = {}
# A statistic may take optional arguments (a round); the registry calls it with none.
_S = TypeVar("_S", bound=Statistic)


def statistic(code: str) -> Callable[[_S], _S]:
    def decorator(func: _S) -> _S:
        _REGISTRY[code] = func
        return func

    return decorator


def compute_all() -> dict[str, Any]:
    autodiscover_modules("statistics")
    return {code: func() for code, func in sorted(_REGISTRY.items())}
