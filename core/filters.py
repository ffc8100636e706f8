"""Filter building blocks shared by the apps' list endpoints."""

from datetime import UTC

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, handed to the database in UTC.

    Python accepts offsets up to ±23:59 while PostgreSQL stops at ±15:59, so a valid
    "-20:32" would otherwise reach the database as an error; UTC has no such limit.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError as exc:
            raise ValidationError(
                "Enter a date and time within years 1 to 9999.", code="invalid"
            ) from exc


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class FilterSet(django_filters.FilterSet):
    """A FilterSet that answers 400 to an empty value for a typed parameter.

    `?min_price=` or `?created_before=` is not a number or a date-time, as the schema says,
    so it is an error rather than "no filter". An empty text parameter (`?search=`) still
    means no filter.
    """

    def is_valid(self):
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            typed = not isinstance(filter_, django_filters.CharFilter)
            if typed and self.data.get(name) == "":
                self.form.add_error(name, ValidationError(_("Give a value."), code="required"))
                valid = False
        return valid
