"""Search and paging of lists."""

from werkzeug.datastructures import MultiDict

from portal.auth.models import User
from portal.listing import paginate, search_filter


def test_every_word_must_match_one_of_the_fields(make):
    make.user("planner", display_name="Anna de Vries", username="avries")
    make.user("planner", display_name="Anna Jansen", username="ajansen")
    query = search_filter(User.select(), "anna vries", User.display_name, User.username)
    assert [u.username for u in query] == ["avries"]


def test_search_wildcards_are_taken_literally(make):
    make.user("planner", display_name="Anna de Vries")
    assert search_filter(User.select(), "%", User.display_name).count() == 0
    assert search_filter(User.select(), "_", User.display_name).count() == 0


def test_page_numbers_out_of_range_are_clamped(make):
    for _ in range(5):
        make.user("planner")
    page = paginate(User.select().order_by(User.id), MultiDict({"page": "99", "size": "2"}), 25)
    assert (page.number, page.pages, len(page.items)) == (3, 3, 1)
    page = paginate(User.select(), MultiDict({"page": "abc", "size": "-4"}), 25)
    assert (page.number, page.size) == (1, 1)


def test_page_links_keep_the_search(make):
    page = paginate(User.select(), MultiDict({"q": "anna", "page": "1"}), 25)
    assert page.link_args(2) == {"q": "anna", "page": 2}
