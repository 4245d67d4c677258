"""Response headers, cookie flags and the Content-Security-Policy."""

from flask import Flask, g, request
from flask.sessions import SecureCookieSessionInterface

BASE_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """Mark the session cookie Secure whenever the request came in over HTTPS.

    The same deployment is reached over plain HTTP on a developer's laptop and over HTTPS
    behind the proxy; a fixed setting would be wrong for one of them.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return app.config.get("SESSION_COOKIE_SECURE") or request.is_secure


def extend_csp(directive: str, *sources: str) -> None:
    """Widen one CSP directive for the current response only (the kiosk needs wasm)."""
    extra = g.setdefault("csp_extra", {})
    extra.setdefault(directive, []).extend(sources)


def content_security_policy() -> str:
    policy = dict(BASE_CSP)
    for directive, sources in g.get("csp_extra", {}).items():
        policy[directive] = " ".join([policy.get(directive, "'self'"), *sources])
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def init_app(app: Flask) -> None:
    """Install the session interface and the headers every response carries."""
    app.session_interface = HttpsAwareSessionInterface()

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if response.mimetype == "text/html":
            # One URL answers htmx with a fragment and a browser with a page.
            response.vary.add("HX-Request")
            # Pages hold personal data: a shared tablet's cache must not show them after log-out.
            headers.setdefault("Cache-Control", "no-store")
        return response
