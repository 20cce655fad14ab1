"""`{% second_factor_status user as status %}`: the second factor's state for the user page (never a secret or a code)."""

from django import template

from sanxin.accounts.second_factor import second_factor_status as status_of

register = template.Library()


@register.simple_tag
def second_factor_status(user):
    return status_of(user)
