"""Command-line tasks: `flask --app portal <command>`."""

import click
from flask import Flask

from datetime import timedelta

from portal import demo as demo_company
from portal.people import demo as people_demo
from portal import throttle, timeutil, translations_tool
from portal.attendance import closing
from portal.reports import registry
from portal.db import database
from portal.auth import rules as auth_rules
from portal.auth.models import ROLES, User


# Longer than any throttle window in use (log-in 15 minutes, kiosk PINs and enrolment less).
PRUNE_AFTER = timedelta(days=1)


def init_app(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice(ROLES), required=True)
    @click.option("--name", "display_name", default=None)
    @click.password_option()
    def create_user(username, role, display_name, password):
        """Create an account (the first admin, say)."""
        if User.select().where(User.username == username.lower()).exists():
            raise click.ClickException(f"User {username} exists already.")
        if len(password) < auth_rules.MIN_PASSWORD_LENGTH:
            # The same rule as the admin's form: the first admin is made here.
            raise click.ClickException(
                f"Use at least {auth_rules.MIN_PASSWORD_LENGTH} characters for the password.")
        auth_rules.create_user(username=username, display_name=display_name or username,
                               role=role, password=password)
        click.echo(f"Created {role} {username}.")

    @app.cli.command("demo")
    @click.option("--if-empty", is_flag=True,
                  help="Do nothing (and say so) when the database has users already.")
    @click.option("--seed", type=int, default=demo_company.DEFAULT_SEED, show_default=True,
                  help="Another seed gives another, equally fictional, company.")
    def demo(if_empty, seed):
        """Fill an empty database with a fictional SW company and print its log-ins."""
        with database.connection_context():
            if not demo_company.is_empty():
                if if_empty:
                    click.echo("The database has users already; the demo company was not added.")
                    return
                raise click.ClickException(
                    "The database has users already; the demo company only goes into an empty one.")
            made = demo_company.fill(seed=seed)
        click.echo(f"Demo company filled: {len(made.groups)} work groups, "
                   f"{people_demo.CURRENT_EMPLOYEES} employees. Demo log-ins:")
        shown = set()
        for role, username, password in made.logins:
            if role not in shown:
                shown.add(role)
                click.echo(f"  {role:<11} {username:<13} password: {password}")
        click.echo(f"  (every supervisor, werkleider01 to werkleider{len(made.supervisors):02d}, "
                   f"has the same password)")
        # Only hashes of the demo's badge and tablet tokens exist, so say how to get real ones.
        click.echo("To try the kiosk: log in as beheer, make an enrolment code for "
                   "\"Tablet Metaalbewerking\" under Tablets and enter it at /kiosk;\n"
                   "demo badges cannot be scanned, so print a new one under Passen.")

    @app.cli.command("close-open-days")
    def close_open_days():
        """Close check-ins left open past their end, flagged for the supervisor."""
        with database.connection_context():
            closed = closing.close_open_days()
        click.echo(f"Closed {len(closed)} open check-ins.")

    @app.cli.command("nightly")
    def nightly():
        """The nightly job: close forgotten check-ins, forget old failed attempts, and bring the
        figures' day summaries up to date."""
        with database.connection_context():
            closed = closing.close_open_days()
            pruned = throttle.prune(PRUNE_AFTER)
            summarised = registry.summarise_recent_years(timeutil.today())
        click.echo(f"Closed {len(closed)} open check-ins. "
                   f"Pruned {pruned} failed attempts older than {PRUNE_AFTER.days} day. "
                   f"The figures' summaries hold {summarised} days of this year and last.")

    @app.cli.command("backup")
    @click.argument("target", type=click.Path(dir_okay=False))
    def backup(target):
        """Copy the SQLite database to TARGET while it is in use (see docs/backup.md)."""
        from pathlib import Path

        from portal import backup as backups

        url = app.config["DATABASE_URL"]
        if not url.startswith("sqlite:///"):
            raise click.ClickException(
                "This copies a SQLite database; for PostgreSQL use pg_dump (docs/backup.md).")
        try:
            made = backups.sqlite_backup(Path(url.removeprefix("sqlite:///")), Path(target))
        except FileExistsError:
            raise click.ClickException(f"{target} exists already; a backup never overwrites.")
        click.echo(f"Backed up to {made} ({made.stat().st_size // 1024} KB), integrity ok.")

    @app.cli.command("compress-static")
    def compress_static():
        """Write the gzip and brotli copies of the static files that WhiteNoise serves."""
        from pathlib import Path

        from portal import static_files

        written = static_files.compress(Path(app.static_folder))
        click.echo(f"Wrote {len(written)} compressed copies.")

    @app.cli.group("translations")
    def translations():
        """Keep the Dutch catalogs in step with the code."""

    @translations.command("update")
    @click.argument("area", required=False)
    def update(area):
        """Add new messages to the catalogs (all areas, or one)."""
        for name in [area] if area else [translations_tool.SHARED, *translations_tool.areas()]:
            path = translations_tool.update(name)
            gaps = translations_tool.missing(name)
            click.echo(f"{path.relative_to(translations_tool.ROOT)}: {len(gaps)} untranslated")

    @translations.command("compile")
    def compile_():
        """Compile the catalogs for use at run time."""
        written = translations_tool.compile_all()
        click.echo(f"Compiled {len(written)} catalogs.")
