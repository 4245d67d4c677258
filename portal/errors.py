"""Friendly error pages: no request from any role ever shows a stack trace."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.views import is_fragment_request


def _messages():
    return {
        400: _("The request could not be understood."),
        401: _("Please log in first."),
        403: _("You do not have access to this page."),
        404: _("This page does not exist, or you cannot see it."),
        405: _("This action is not possible here."),
        413: _("The file is too large."),
        422: _("The form contains errors."),
        429: _("Too many attempts. Wait a moment and try again."),
        500: _("Something went wrong on our side. Your last action was not saved."),
    }


def render_error(code: int, message: str | None = None):
    message = message or _messages().get(code) or _messages()[500]
    template = "errors/_message.html" if is_fragment_request() else "errors/error.html"
    return render_template(template, code=code, message=message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(_error):
        return render_error(400, _("This form has expired. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http_error(error):
        if error.code and error.code < 400:
            return error
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError.code)
