"""The figures the office reports upward (DOMAIN §4.1), keyed by their codes.

Each app registers its statistics in its own statistics.py, computed by its selectors,
so the dashboard, the exports, `manage.py stats` and the tests read the same numbers.
"""

from collections.abc import Callable
from typing import Any

from django.utils.module_loading import autodiscover_modules

Statistic = Callable[[], Any]
_REGISTRY: dict[str, Statistic] = {}


def statistic(code: str) -> Callable[[Statistic], Statistic]:
    def decorator(func: Statistic) -> Statistic:
        _REGISTRY[code] = func
        return func

    return decorator


def compute_all() -> dict[str, Any]:
    autodiscover_modules("statistics")
    return {code: func() for code, func in sorted(_REGISTRY.items())}
