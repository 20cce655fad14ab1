"""Small helpers the HTML views share."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404


def capability_required(capability: str):
    """Login required; without the capability the page does not exist (404, never 403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.can(capability):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def apply_validation_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when it names one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
