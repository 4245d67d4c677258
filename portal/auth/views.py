"""Log-in, log-out, language, and the admin's management of accounts."""

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.auth import rules
from portal.auth.access import public, roles_required
from portal.auth.forms import LanguageForm, LoginForm, NewUserForm, PasswordResetForm, UserForm
from portal.auth.models import ADMIN, User
from portal.extensions import login_manager
from portal.listing import paginate, search_filter
from portal.views import render_form_errors, respond

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def load_user(session_id: str):
    """Load the session's user, unless the account was deactivated or its password reset."""
    user_id, _sep, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    return User.get_or_none(
        (User.id == int(user_id))
        & (User.session_version == int(version))
        & (User.is_active_account == True)  # noqa: E712 (peewee expression)
    )


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never an open redirect to another host.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("home.index")


@bp.get("/login")
@public
def login():
    """Show the log-in form."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return render_template("auth/login.html", form=LoginForm(), next=request.args.get("next"))


@bp.post("/login")
@public
def login_post():
    """Log in, or refuse with a message; repeated failures lock the name for a while."""
    form = LoginForm()
    next_url = request.form.get("next")
    if not form.validate():
        return render_template("auth/login.html", form=form, next=next_url), 422
    user, problem = rules.authenticate(
        form.username.data,
        form.password.data,
        client_ip=request.remote_addr or "-",
        max_failures=current_app.config["LOGIN_MAX_FAILURES"],
        window=current_app.config["LOGIN_FAILURE_WINDOW"],
    )
    if problem == "locked":
        minutes = int(current_app.config["LOGIN_FAILURE_WINDOW"].total_seconds() // 60)
        form.form_errors.append(
            _("Too many failed attempts. Try again in %(minutes)d minutes.", minutes=minutes))
        return render_template("auth/login.html", form=form, next=next_url), 429
    if problem:
        form.form_errors.append(_("User name or password is wrong."))
        return render_template("auth/login.html", form=form, next=next_url), 401
    session.clear()  # a fresh session on log-in: no fixation
    session.permanent = True
    login_user(user)
    return redirect(_safe_next(next_url))


@bp.post("/logout")
@public
def logout():
    """Log out and forget the session."""
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.post("/language")
@public
def set_language():
    """Switch the language: stored on the account, or in the session before log-in."""
    form = LanguageForm()
    if form.validate():
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            current_user.save(only=[User.locale])
        else:
            session["locale"] = form.locale.data
    return redirect(_safe_next(request.form.get("next")))


@bp.get("/users")
@roles_required(ADMIN)
def list_users():
    """List accounts, searchable by name."""
    query = User.select().order_by(User.is_active_account.desc(), User.display_name)
    query = search_filter(query, request.args.get("q"), User.display_name, User.username)
    page = paginate(query, request.args, current_app.config["PAGE_SIZE"])
    return respond("auth/users.html", "auth/_partials/user_rows.html", page=page)


@bp.get("/users/new")
@roles_required(ADMIN)
def new_user():
    """Show the form for a new account."""
    return render_template("auth/user_form.html", form=NewUserForm(), user=None)


@bp.post("/users")
@roles_required(ADMIN)
def create_user():
    """Create an account."""
    form = NewUserForm()
    if form.validate():
        if User.select().where(User.username == form.username.data.lower()).exists():
            form.username.errors.append(_("This user name is taken."))
        else:
            rules.create_user(username=form.username.data, display_name=form.display_name.data,
                              role=form.role.data, locale=form.locale.data,
                              password=form.password.data, actor=current_user.id)
            flash(_("Account %(name)s created.", name=form.display_name.data), "success")
            return redirect(url_for("auth.list_users"), 303)
    return render_form_errors("auth/user_form.html", form=form, user=None)


def _get_user(user_id: int) -> User:
    """:raise 404: when there is no such account."""
    return User.get_or_none(User.id == user_id) or abort(404)


@bp.get("/users/<int:user_id>/edit")
@roles_required(ADMIN)
def edit_user(user_id):
    """Show an account's form."""
    user = _get_user(user_id)
    return render_template("auth/user_form.html", form=UserForm(obj=user), user=user,
                           password_form=PasswordResetForm())


@bp.post("/users/<int:user_id>")
@roles_required(ADMIN)
def update_user(user_id):
    """Change an account's name, role or language."""
    user = _get_user(user_id)
    form = UserForm()
    if form.validate():
        if user.id == current_user.id and form.role.data != ADMIN:
            form.role.errors.append(_("You cannot take away your own administrator role."))
        else:
            rules.update_user(user, display_name=form.display_name.data, role=form.role.data,
                              locale=form.locale.data, actor=current_user.id)
            flash(_("Account %(name)s saved.", name=user.display_name), "success")
            return redirect(url_for("auth.list_users"), 303)
    return render_form_errors("auth/user_form.html", form=form, user=user,
                              password_form=PasswordResetForm())


@bp.post("/users/<int:user_id>/password")
@roles_required(ADMIN)
def reset_password(user_id):
    """Give an account a new password; its sessions end."""
    user = _get_user(user_id)
    form = PasswordResetForm()
    if form.validate():
        rules.reset_password(user, form.password.data, actor=current_user.id)
        flash(_("The password of %(name)s was reset.", name=user.display_name), "success")
        return redirect(url_for("auth.list_users"), 303)
    return render_form_errors("auth/user_form.html", form=UserForm(obj=user), user=user,
                              password_form=form)


@bp.post("/users/<int:user_id>/active")
@roles_required(ADMIN)
def set_user_active(user_id):
    """Deactivate or reactivate an account."""
    user = _get_user(user_id)
    activate = request.form.get("active") == "1"
    if user.id == current_user.id and not activate:
        flash(_("You cannot deactivate your own account."), "error")
    else:
        rules.set_active(user, activate, actor=current_user.id)
        flash(_("Account %(name)s activated.", name=user.display_name) if activate
              else _("Account %(name)s deactivated.", name=user.display_name), "success")
    return redirect(url_for("auth.list_users"), 303)
