from tests.access import Case, everyone, only

ADMIN = ("admin",)

CASES = [
    Case("auth.login", "GET", everyone(302, anonymous=200)),
    Case("auth.login_post", "POST", everyone(401, anonymous=401),
         data=lambda w: {"username": "nobody", "password": "wrong"}),
    Case("auth.logout", "POST", everyone(302, anonymous=302)),
    Case("auth.set_language", "POST", everyone(302, anonymous=302),
         data=lambda w: {"locale": "nl"}),
    Case("auth.list_users", "GET", only(ADMIN)),
    Case("auth.new_user", "GET", only(ADMIN)),
    Case("auth.create_user", "POST", only(ADMIN, 422)),
    Case("auth.edit_user", "GET", only(ADMIN), args=lambda w: {"user_id": w.planner.id}),
    Case("auth.update_user", "POST", only(ADMIN, 422), args=lambda w: {"user_id": w.planner.id}),
    Case("auth.reset_password", "POST", only(ADMIN, 422),
         args=lambda w: {"user_id": w.planner.id}),
    Case("auth.set_user_active", "POST", only(ADMIN, 303),
         args=lambda w: {"user_id": w.other_supervisor.id}, data=lambda w: {"active": "1"}),
]
