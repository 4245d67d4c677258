"""The admin manages accounts."""

import pytest

from portal.audit import AuditEntry
from portal.auth.models import User


def test_admin_creates_a_user_who_can_log_in(client, login, make):
    login(make.user("admin"))
    response = client.post("/auth/users", data={
        "username": "Sanne.W", "display_name": "Sanne de Wit", "role": "supervisor",
        "locale": "nl", "password": "lang-genoeg-1", "confirm": "lang-genoeg-1"})
    assert response.status_code == 303
    created = User.get(User.username == "sanne.w")
    assert created.role == "supervisor" and created.password_hash.startswith("scrypt:")
    assert AuditEntry.get(AuditEntry.action == "user.create").object_id == created.id
    assert "Sanne de Wit" in client.get("/auth/users?q=sanne").get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"username": "", "display_name": "X"}, "Dit veld is vereist"),
    ({"username": "a b", "display_name": "X"}, "Gebruik alleen letters"),
    ({"username": "ok", "display_name": "X" * 10_000}, "120"),
    ({"username": "ok", "display_name": "X", "password": "short", "confirm": "short"}, "minstens"),
    ({"username": "ok", "display_name": "X", "role": "emperor"}, "Ongeldige keuze"),
])
def test_bad_new_user_gets_a_message_and_stores_nothing(client, login, make, data, message):
    login(make.user("admin"))
    form = {"role": "planner", "locale": "nl", "password": "lang-genoeg-1",
            "confirm": "lang-genoeg-1", **data}
    response = client.post("/auth/users", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert User.select().count() == 1


def test_duplicate_user_name_is_refused(client, login, make):
    admin = make.user("admin")
    login(admin)
    response = client.post("/auth/users", data={
        "username": admin.username.upper(), "display_name": "X", "role": "planner",
        "locale": "nl", "password": "lang-genoeg-1", "confirm": "lang-genoeg-1"})
    assert response.status_code == 422
    assert "Deze gebruikersnaam is al in gebruik" in response.get_data(as_text=True)


def test_password_reset_ends_the_users_sessions(app, client, login, make):
    planner = make.user("planner")
    other = app.test_client()
    other.post("/auth/login", data={"username": planner.username, "password": make.PASSWORD})
    assert other.get("/overview").status_code == 200
    login(make.user("admin"))
    response = client.post(f"/auth/users/{planner.id}/password",
                           data={"password": "nieuw-wachtwoord", "confirm": "nieuw-wachtwoord"})
    assert response.status_code == 303
    assert other.get("/overview").status_code == 302


def test_admin_deactivates_but_cannot_deactivate_self(client, login, make):
    admin = make.user("admin")
    planner = make.user("planner")
    login(admin)
    client.post(f"/auth/users/{planner.id}/active", data={"active": "0"})
    client.post(f"/auth/users/{admin.id}/active", data={"active": "0"})
    assert not User.get_by_id(planner.id).is_active
    assert User.get_by_id(admin.id).is_active


def test_unknown_user_id_is_404(client, login, make):
    login(make.user("admin"))
    assert client.get("/auth/users/999999/edit").status_code == 404


@pytest.mark.parametrize("user_id", ["0", "2147483648", "9" * 30, "-1"])
def test_ids_no_database_key_can_hold_are_404(client, login, make, user_id):
    login(make.user("admin"))
    assert client.get(f"/auth/users/{user_id}/edit").status_code == 404


def test_create_user_command_makes_the_first_admin_with_a_long_enough_password(app):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["create-user", "eerste", "--role", "admin",
                                "--password", "kort"])
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    made = runner.invoke(args=["create-user", "eerste", "--role", "admin",
                               "--password", "lang-genoeg-wachtwoord"])
    assert made.exit_code == 0, made.output
    again = runner.invoke(args=["create-user", "Eerste", "--role", "admin",
                                "--password", "lang-genoeg-wachtwoord"])
    assert again.exit_code != 0 and "exists already" in again.output
    with app.app_context():
        from portal.auth.models import User

        assert [u.role for u in User.select()] == ["admin"]
