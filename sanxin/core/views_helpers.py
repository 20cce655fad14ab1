"""Small helpers the HTML views share."""

from functools import wraps

from django.contrib import messages
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


def posted(request):
    """The form data of a POST, even an empty one (`posted(request)` would show an empty POST a blank form
    again without saying what is missing); None for a GET."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None


def save_form(request, form, save):
    """On a valid POST, `save(cleaned data)` and its result; a service's refusal goes onto the form's fields."""
    if request.method == "POST" and form.is_valid():
        try:
            return save(dict(form.cleaned_data))
        except ValidationError as error:
            apply_validation_error(form, error)
    return None


def form_errors_text(form) -> str:
    """A bound form's errors in one line, each named by its field's label (for views that answer with a message
    and a redirect rather than the form again): “退回原因：这个字段是必填项。；说明：……”."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(errors)
        parts.append(f"{label}：{text}" if label and label not in text else text)  # “请填写退回原因” names it already
    return "；".join(parts)


def act(request, call, *, done: str) -> bool:
    """Run one action a button posted (`call()`, a service): its Chinese refusal, or `done`, flashed for the page
    the view redirects to. True when it was done."""
    try:
        call()
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return False
    messages.success(request, done)
    return True
