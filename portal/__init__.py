"""The Werkvloer portal: an app factory, and one package per domain area."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from portal import config as portal_config
from portal import db, errors, i18n, security
from portal.extensions import compress, csrf, login_manager

ROOT = Path(__file__).resolve().parent.parent


class RowIdConverter(IntegerConverter):
    """`<int:...>` in every route: only ids a database key column can hold (1 .. 2**31-1).

    A forged 30-digit id then answers 404 instead of overflowing the database driver.
    """

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(config: dict | None = None) -> Flask:
    """Make the portal application; tests pass their own settings in `config`."""
    app = Flask(
        __name__,
        instance_path=(config or {}).get("INSTANCE_PATH") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.url_map.converters["int"] = RowIdConverter
    settings = portal_config.from_environment(app.instance_path, given=config or {})
    app.config.from_mapping(settings)
    if config:
        app.config.update(config)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(i18n.translation_directories())

    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    csrf.init_app(app)
    compress.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    _template_globals(app)

    login_manager.init_app(app)
    for blueprint in blueprints():
        app.register_blueprint(blueprint)

    from portal import cli

    cli.init_app(app)
    return app


def blueprints() -> list:
    """Every blueprint, its route modules imported so that their routes are on it.

    An area with one route module defines `bp` there; an area with several defines `bp` in
    its `__init__.py` and each route module adds to it. A new area adds its line here.
    """
    from portal import attendance, kiosk, people, reports
    from portal.attendance import report_views, views as attendance_views  # noqa: F401
    from portal.auth import views as auth
    from portal.detachments import client_link, views as detachments
    from portal.devices import views as devices
    from portal.home import views as home
    from portal.kiosk import api, views as kiosk_views  # noqa: F401
    from portal.orders import views as orders
    from portal.people import employees, structure  # noqa: F401
    from portal.reports import target_views, views as reports_views  # noqa: F401
    from portal.trajectories import views as trajectories

    return [home.bp, auth.bp, people.bp, kiosk.bp, devices.bp, orders.bp, attendance.bp,
            detachments.bp, client_link.bp, trajectories.bp, reports.bp]


def _template_globals(app: Flask) -> None:
    from portal.auth import access
    from portal.auth.forms import role_label
    from portal.menu import main_menu
    from portal.people.labels import employment_label
    from portal.views import field_attrs

    # Templates ask access questions through the same functions as the views: access.can_...
    app.jinja_env.globals.update(access=access, main_menu=main_menu, field_attrs=field_attrs,
                                 role_label=role_label, employment_label=employment_label)
