"""Failed attempts are counted per key within a window, in the shared database."""

from datetime import datetime, timedelta

from portal import throttle

WINDOW = timedelta(minutes=15)
NOW = datetime(2026, 11, 2, 9, 0)


def test_a_key_is_blocked_after_the_limit_within_the_window(app):
    for _ in range(3):
        throttle.register_failure("pin:7", now=NOW)
    assert throttle.is_blocked("pin:7", 3, WINDOW, now=NOW)
    assert not throttle.is_blocked("pin:8", 3, WINDOW, now=NOW)


def test_failures_older_than_the_window_do_not_count(app):
    for _ in range(3):
        throttle.register_failure("pin:7", now=NOW - WINDOW - timedelta(seconds=1))
    assert not throttle.is_blocked("pin:7", 3, WINDOW, now=NOW)
    assert throttle.prune(WINDOW, now=NOW) == 3


def test_clearing_a_key_leaves_other_keys(app):
    throttle.register_failure("login:anna:1.2.3.4", now=NOW)
    throttle.register_failure("login:bram:1.2.3.4", now=NOW)
    throttle.clear_prefix("login:anna:")
    assert throttle.failures_within("login:anna:1.2.3.4", WINDOW, now=NOW) == 0
    assert throttle.failures_within("login:bram:1.2.3.4", WINDOW, now=NOW) == 1


def test_claim_counts_and_decides_in_one_go_and_starts_a_new_window(app):
    assert [throttle.claim("login:anna:1", 3, WINDOW, now=NOW) for _ in range(4)] == [
        True, True, True, False]
    later = NOW + WINDOW
    assert throttle.claim("login:anna:1", 3, WINDOW, now=later)  # the window is over: 1 again
    assert throttle.AttemptCount.get().attempts == 1


def test_release_takes_back_one_attempt_and_forget_all(app):
    for _ in range(3):
        throttle.claim("login-ip:1", 3, WINDOW, now=NOW)
    throttle.release("login-ip:1")
    assert throttle.claim("login-ip:1", 3, WINDOW, now=NOW)
    throttle.forget("login-ip:1")
    assert throttle.AttemptCount.select().count() == 0


def test_prune_removes_old_counts_too(app):
    throttle.claim("login:old:1", 3, WINDOW, now=NOW - timedelta(days=2))
    throttle.claim("login:new:1", 3, WINDOW, now=NOW)
    throttle.register_failure("pin:7", now=NOW - timedelta(days=2))
    assert throttle.prune(timedelta(days=1), now=NOW) == 2
    assert [c.key for c in throttle.AttemptCount.select()] == ["login:new:1"]
