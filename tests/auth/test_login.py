"""Log-in, log-out, throttling, sessions and CSRF."""

from portal.auth.models import User
from portal.audit import AuditEntry
from portal.throttle import AttemptCount


def test_login_page_is_dutch_by_default(client):
    page = client.get("/auth/login")
    assert page.status_code == 200
    assert 'lang="nl"' in page.get_data(as_text=True)
    assert "Inloggen" in page.get_data(as_text=True)


def test_user_logs_in_and_out(client, make):
    user = make.user("planner")
    response = client.post("/auth/login", data={"username": user.username,
                                                "password": make.PASSWORD})
    assert response.status_code == 302
    assert client.get("/overview").status_code == 200
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/overview").status_code == 302


def test_wrong_password_gets_a_message_and_no_session(client, make):
    user = make.user("planner")
    response = client.post("/auth/login", data={"username": user.username, "password": "nope"})
    assert response.status_code == 401
    assert "Gebruikersnaam of wachtwoord is onjuist" in response.get_data(as_text=True)
    assert client.get("/overview").status_code == 302


def test_repeated_failures_lock_the_name_even_with_the_right_password(app, client, make):
    user = make.user("planner")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/auth/login", data={"username": user.username, "password": "wrong"})
    response = client.post("/auth/login", data={"username": user.username,
                                                "password": make.PASSWORD})
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.get_data(as_text=True)


def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(app, client, make):
    user = make.user("planner")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/auth/login", data={"username": user.username, "password": "wrong"},
                    environ_base={"REMOTE_ADDR": "10.9.9.9"})
    response = client.post("/auth/login", data={"username": user.username,
                                                "password": make.PASSWORD})
    assert response.status_code == 302


def test_deactivated_user_cannot_log_in_and_loses_open_session(client, login, make):
    admin = make.user("admin")
    planner = make.user("planner")
    login(planner)
    planner.is_active_account = False
    planner.session_version += 1
    planner.save()
    assert client.get("/overview").status_code == 302
    response = client.post("/auth/login", data={"username": planner.username,
                                                "password": make.PASSWORD})
    assert response.status_code == 401
    assert admin.is_active


def test_post_without_csrf_token_is_refused(client, make):
    user = make.user("planner")
    response = client.post("/auth/login", data={"username": user.username,
                                                "password": make.PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert "verlopen" in response.get_data(as_text=True)
    assert User.get_by_id(user.id).last_login_at is None


def test_login_redirects_only_to_paths_on_this_site(client, make):
    user = make.user("planner")
    response = client.post("/auth/login", data={"username": user.username,
                                                "password": make.PASSWORD,
                                                "next": "//evil.example/x"})
    assert response.headers["Location"] == "/overview"


def test_session_cookie_is_httponly_and_samesite(client, make):
    user = make.user("planner")
    response = client.post("/auth/login", data={"username": user.username,
                                                "password": make.PASSWORD})
    cookie = response.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_over_https(client, make):
    user = make.user("planner")
    client.get("/auth/login", base_url="https://localhost")
    response = client.post("/auth/login", base_url="https://localhost",
                           headers={"Referer": "https://localhost/auth/login"},
                           data={"username": user.username, "password": make.PASSWORD})
    assert "Secure" in response.headers.get("Set-Cookie")


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/auth/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in policy


def test_language_switch_before_login_gives_english(client):
    client.get("/auth/login")
    client.post("/auth/language", data={"locale": "en", "next": "/auth/login"})
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'lang="en"' in page and "Log in" in page


def test_failed_attempts_are_counted_in_the_shared_database(client, make):
    client.post("/auth/login", data={"username": "nobody", "password": "x"})
    # per name-and-address, and per address
    assert sorted((c.key, c.attempts) for c in AttemptCount.select()) == [
        ("login-ip:127.0.0.1", 1), ("login:nobody:127.0.0.1", 1)]
    assert AuditEntry.select().count() == 0


def test_logging_out_ends_the_session_on_the_server(client, login, make):
    """A copy of the cookie taken before log-out opens nothing afterwards."""
    login(make.user("planner"))
    kept = client.get_cookie("portal_session").value
    assert client.post("/auth/logout").status_code == 302
    client.set_cookie("portal_session", kept)
    assert client.get("/overview").status_code == 302


def test_parallel_wrong_attempts_are_checked_no_more_often_than_the_limit(app, make,
                                                                          monkeypatch):
    """Eight attempts at once (as over four workers) against a limit of five: five are tried.

    Each thread has its own database connection; the password check is slowed to what
    scrypt costs, so that every attempt is under way before the first one is counted.
    """
    import threading
    import time

    from portal.auth import rules
    from portal.db import database

    user = make.user("planner")
    checked = []
    real_check = rules.check_password_hash

    def slow_check(stored, given):
        checked.append(given)
        time.sleep(0.2)
        return real_check(stored, given)

    monkeypatch.setattr(rules, "check_password_hash", slow_check)
    start = threading.Barrier(8)
    answers = []

    def attempt():
        start.wait()
        try:
            answers.append(rules.authenticate(user.username, "wrong", client_ip="10.0.0.1",
                                              max_failures=5, window=app.config[
                                                  "LOGIN_FAILURE_WINDOW"])[1])
        finally:
            database.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == ["invalid"] * 5 + ["locked"] * 3
    assert len(checked) == 5
