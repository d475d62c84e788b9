"""The list filters' one mechanism: django-filter FilterSets read from the query string.

Every list keeps its GET parameter names and its answers: a value is a trimmed string cut to
the list's max_length, and each filter decides what an unknown value means (most match
nothing, a few are ignored) instead of a form error turning a list into an error page. The
forms are rendered by templates/includes/_filters.html.
"""

import html
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any, ClassVar
from urllib.parse import urlencode

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

ALL = _("All")  # the first choice of every drop-down: no filter
Choices = Callable[[], Iterable[tuple[Any, Any]]] | Iterable[tuple[Any, Any]]


def with_all(choices: Choices, all_label: Any = ALL) -> Callable[[], list[tuple[Any, Any]]]:
    """Drop-down choices with "All" first, computed when the form is rendered: an export builds the
    same FilterSet and must not run the choices' queries."""

    def choices_now() -> list[tuple[Any, Any]]:
        return [("", all_label), *(choices() if callable(choices) else choices)]

    return choices_now


class FilterSelect(forms.Select):
    """A filter's drop-down written in Python. Django renders every option through a template, and
    the registry's bar offers every unit and group of every round: at 12 rounds its drop-downs
    took 46 ms of a 190 ms page (issue 16); this writes the same markup in about 2 ms."""

    def use_required_attribute(self, initial: Any) -> bool:
        # A filter is never required. Django's Select answers by reading the first choice, which
        # builds the whole list of a callable's choices once more (every unit and group of every
        # round, for each of the registry's drop-downs).
        return False

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        selected = set(self.format_value(value))
        # Escaped as format_html would (text already marked safe is kept), without its lazy-string
        # checks per argument: a third of the filter bar's time over 350 options (issue 16).
        options = "".join(
            f'<option value="{_escaped(key)}"{" selected" if str(key) in selected else ""}>{_escaped(text)}</option>'
            for key, text in self.choices
        )
        return format_html(
            "<select{}>{}</select>",
            flatatt({**self.build_attrs(self.attrs, attrs), "name": name}),
            mark_safe(options),  # noqa: S308 - every value escaped above
        )


def _escaped(value: Any) -> str:
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def choice(label: Any, choices: Choices = (), *, all_label: Any = ALL, **kwargs: Any) -> django_filters.CharFilter:
    """A filter shown as a drop-down. A value not among the choices still reaches the filter's
    method (a CharFilter, not a ChoiceFilter), which decides what it means, as before."""
    # Django takes a callable as choices; django-stubs does not know it yet.
    widget_choices: Any = with_all(choices, all_label)
    return django_filters.CharFilter(label=label, widget=FilterSelect(choices=widget_choices), **kwargs)


class _FlagInput(forms.CheckboxInput):
    """A checkbox that sends "1" and is ticked by any non-empty value (links send "1" or "yes")."""

    def __init__(self) -> None:
        super().__init__(check_test=bool)

    def format_value(self, value: Any) -> str:
        return "1"


def flag(label: Any, **kwargs: Any) -> django_filters.CharFilter:
    """A filter shown as a checkbox; any non-empty value turns it on."""
    return django_filters.CharFilter(label=label, widget=_FlagInput(), **kwargs)


def by_id(field: str) -> Callable[[Any, str, str], Any]:
    """A filter method by a related record's id; anything but digits is no filter."""

    def method(rows: Any, _name: str, value: str) -> Any:
        return rows.filter(**{field: int(value)}) if value.isdigit() else rows

    return method


def carried(**kwargs: Any) -> django_filters.CharFilter:
    """A filter set by a link (a drill-down) and carried along, not offered on the form."""
    return django_filters.CharFilter(widget=forms.HiddenInput, **kwargs)


class QueryFilterSet(django_filters.FilterSet):
    """A FilterSet bound to a query string (or to keyword values, as the selectors' callers give)."""

    max_length: ClassVar[int] = 50
    # Set by django-filter (which ships no types); declared here so the lists' code is checked.
    data: dict[str, str]
    request: Any
    form: forms.Form
    filters: dict[str, Any]
    base_filters: ClassVar[dict[str, Any]]
    _meta: Any

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any = None, **values: str) -> None:
        source = values if data is None else data
        data = {name: str(source.get(name, "") or "").strip()[: self.max_length] for name in self.base_filters}
        if queryset is None and self._meta.model is None:
            # Rows filtered in Python (the deadline board merges five sources): no queryset to hold.
            queryset = SimpleNamespace(model=None)
        super().__init__(data, queryset, request=request)
        self.form.auto_id = False  # each field sits inside its label: no ids to clash with the page's forms

    @classmethod
    def from_query(cls, query: Any, **kwargs: Any) -> "QueryFilterSet":
        return cls(query, **kwargs)

    def __getattr__(self, name: str) -> str:
        # The values by filter name (filters.round), as the selectors and templates read them.
        if name in type(self).base_filters:
            return self.data[name]
        raise AttributeError(name)

    def as_query(self) -> str:
        """The filters in force, as a query string for the export link and the audit note."""
        return urlencode({name: value for name, value in self.data.items() if value})

    def describe(self) -> str:
        """The filters in force in words, for an export's title row: 「状态：已移交；轮次：第一轮」."""
        parts = []
        for name, value in self.data.items():
            if not value:
                continue
            widget = self.form.fields[name].widget
            shown: Any = value
            if isinstance(widget, forms.CheckboxInput):
                shown = _("yes")
            elif isinstance(widget, forms.Select):
                shown = {str(key): text for key, text in widget.choices}.get(value, value)
            parts.append(f"{self.filters[name].label or name}：{shown}")
        return "；".join(parts)

    def filter_queryset(self, queryset: Any) -> Any:
        """The queryset narrowed by every filter in force (a value's meaning is its filter's method).

        Read from the trimmed values, not the form's cleaned data: a checkbox widget would turn
        "1" into True, and a drop-down's form field would refuse a value the list used to answer.
        """
        for name, value in self.data.items():
            if value:
                queryset = self.filters[name].filter(queryset, value)
        return queryset
