from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Window
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from core.internals import set_cached_property

MAX_PAGE = 2**31 - 1


def whole_number(value: str, name: str, maximum: int) -> int:
    """A query parameter that must be a whole number from 1 to `maximum`; 400 otherwise
    (an empty value included, which DRF's fields would quietly take as absent)."""
    if value.isascii() and value.isdigit() and 0 < int(value) <= maximum:
        return int(value)
    raise ValidationError({name: [f"Enter a whole number from 1 to {maximum}."]})


class OneQueryPaginator(Paginator):
    """Django's paginator, with the total counted by the page's own query (`COUNT(*) OVER ()`):
    one round trip for a page instead of a COUNT and then the rows.

    A page that comes back empty (past the end, or an empty list) is left to Django's
    paginator, which counts and answers as it always does.
    """

    def page(self, number):
        rows = []
        if isinstance(self.object_list, QuerySet) and not self.object_list.query.distinct:
            bottom = (int(number) - 1) * self.per_page
            counted = self.object_list.annotate(_total=Window(Count("*")))
            rows = list(counted[bottom : bottom + self.per_page])
        if not rows:
            return super().page(number)
        set_cached_property(self, "count", rows[0]._total)  # already known
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination that answers 400 to a `page` or `page_size` it cannot use.

    DRF quietly falls back to the default page size for `page_size=true`, and calls a
    malformed page number a 404; a client that sent either deserves to be told. A page
    past the last one stays a 404.
    """

    django_paginator_class = OneQueryPaginator
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        return whole_number(value, self.page_size_query_param, self.max_page_size)

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        return 1 if value is None else whole_number(value, self.page_query_param, MAX_PAGE)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            is_size = parameter["name"] == self.page_size_query_param
            parameter["schema"].update(
                minimum=1, maximum=self.max_page_size if is_size else MAX_PAGE
            )
        return parameters
