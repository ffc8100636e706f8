"""`{{ amount|brl }}`: an amount in reais as the page's reader reads it (core.money)."""

from django import template

from core.money import money_display

register = template.Library()


@register.filter
def brl(amount) -> str:
    return money_display(amount)
