"""Helpers that every blueprint's views share."""

from flask import make_response, render_template, request

from portal.refusal import Refused


def is_fragment_request() -> bool:
    """Tell whether htmx asked for a region, not a whole page.

    Boosted links and history restores also send HX-Request but want the whole page.
    """
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def respond(page_template: str, partial_template: str, **context):
    """Render the whole page, or only the region htmx asked for; the page includes the partial."""
    return render_template(partial_template if is_fragment_request() else page_template, **context)


def render_form_errors(template: str, **context):
    """Re-render a form with its messages; 422 tells htmx and tests that nothing was stored."""
    return render_template(template, **context), 422


def put_refusal(form, refused: Refused) -> None:
    """Show a refusal on the form: beside the field it names, or above the form."""
    for each in refused.all():
        field = getattr(form, each.field, None) if each.field else None
        if field is not None and hasattr(field, "errors") and not isinstance(field, str):
            field.errors = [*field.errors, each.message]
        else:
            form.form_errors.append(each.message)


def refused_form(template: str, form, refused: Refused, **context):
    """Re-render a form (or an htmx panel) with the refusal on it; 422: nothing was stored."""
    put_refusal(form, refused)
    return render_form_errors(template, form=form, **context)


def download(body: bytes | str, filename: str, mimetype: str):
    """A file to save: named, and kept out of every cache (exports hold personal data)."""
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def field_attrs(field, hint=None, validate_url=None) -> dict:
    """The accessibility (and inline-validation) attributes of a form field's input."""
    described = [f"{field.id}-hint"] if hint else []
    if field.errors:
        described.append(f"{field.id}-error")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if validate_url:
        attrs.update({
            "hx-post": validate_url,
            "hx-trigger": "change",
            "hx-target": f"#field-{field.id}",
            "hx-select": f"#field-{field.id}",
            "hx-swap": "outerHTML",
            "hx-sync": "closest form:abort",
        })
    return attrs
