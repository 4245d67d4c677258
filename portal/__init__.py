"""The Werkvloer portal: an app factory, and one package per domain area."""

from importlib import import_module
from pathlib import Path

from flask import Flask
from flask_compress import Compress
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from portal import config as portal_config
from portal import db, errors, i18n, security

ROOT = Path(__file__).resolve().parent.parent

# Each area is a package with a `views` module that defines a blueprint `bp`.
AREAS = ("home", "auth", "people", "kiosk", "devices", "orders", "attendance",
         "detachments", "trajectories", "reports")
# Blueprints of their own inside an area, beside its `views`.
MORE_BLUEPRINTS = ("detachments.client_link",)

csrf = CSRFProtect()
compress = Compress()


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

    from portal.auth.views import login_manager

    login_manager.init_app(app)
    for area in AREAS:
        app.register_blueprint(import_module(f"portal.{area}.views").bp)
    for module in MORE_BLUEPRINTS:
        app.register_blueprint(import_module(f"portal.{module}").bp)

    from portal import cli

    cli.init_app(app)
    return app


def _template_globals(app: Flask) -> None:
    from portal.auth.forms import role_label
    from portal.menu import main_menu
    from portal.people.labels import employment_label
    from portal.views import field_attrs

    app.jinja_env.globals.update(main_menu=main_menu, field_attrs=field_attrs,
                                 role_label=role_label, employment_label=employment_label)
