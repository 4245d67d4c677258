"""The demo's office accounts."""

from portal.auth.models import ADMIN, HR, JOBCOACH, PLANNER, User
from portal.demo_kit import DEMO_PASSWORD, Demo, section

@section(10)
def users(demo: Demo) -> None:
    """The office accounts: an admin, a planner, HR and a jobcoach (supervisors come with their
    groups)."""
    for role, username, display_name in (
        (ADMIN, "beheer", "Anja Beheer (demo)"),
        (PLANNER, "planning", "Peter Planning (demo)"),
        (HR, "hr", "Hanneke de Personeelszaken (demo)"),
        (JOBCOACH, "jobcoach", "Jolanda Coach (demo)"),
    ):
        demo.users[username] = User.create(username=username, display_name=display_name,
                                           role=role, password_hash=demo.password_hash)
        demo.logins.append((role, username, DEMO_PASSWORD))
