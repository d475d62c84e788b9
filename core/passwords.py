"""The password policy of real accounts, beside Django's own validators (settings.AUTH_PASSWORD_VALIDATORS)."""

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case letters, upper-case letters, digits, symbols.

    Length alone lets "aaaaaaaaaaaa" through; mixing kinds of characters is what the office's
    security rules ask of a password that guards whistle-blowers' names.
    """

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    @staticmethod
    def classes_in(password: str) -> int:
        kinds = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            # Anything that is neither letter nor digit counts as a symbol, full-width ones included.
            any(not c.isalnum() for c in password),
        ]
        return sum(kinds)

    def validate(self, password: str, user: Any = None) -> None:
        if self.classes_in(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must mix at least %(count)d kind of character: lower-case letters, "
            "upper-case letters, digits and symbols.",
            "Your password must mix at least %(count)d kinds of characters: lower-case letters, "
            "upper-case letters, digits and symbols.",
            self.min_classes,
        ) % {"count": self.min_classes}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with an error message our catalogue translates.

    Django 5.2 reworded its message and its Chinese catalogue has no translation of the new
    wording yet, so the user would read it in English.
    """

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it must have at least %(count)d character.",
            "This password is too short: it must have at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}
