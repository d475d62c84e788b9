"""Status labels in templates come from the model's choices, never re-typed: a count of accepted
letters is labelled with the same words as an accepted letter's status."""

from django import template
from django.apps import apps

register = template.Library()


@register.simple_tag
def choice_label(model: str, value: str, field: str = "status") -> str:
    """The display label of `value` in `model`'s `field` choices ("clues.InfoRequestLetter")."""
    choices = dict(apps.get_model(model)._meta.get_field(field).flatchoices)
    return str(choices[value])
