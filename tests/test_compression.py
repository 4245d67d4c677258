"""Response compression: big text goes out gzip/br; validators, downloads and photos still work."""

import gzip
from datetime import timedelta

import brotli

from portal.timeutil import today

GZIP = {"Accept-Encoding": "gzip"}


def _board_url():
    monday = today() - timedelta(days=today().weekday())
    return f"/orders/board?start={monday.isoformat()}"


def _board(make):
    planner = make.user("planner")
    for n in range(3):
        make.employee(work_group=make.group(name=f"Ploeg {n}"))
    make.order(product="Kerstpakket", created_by=planner)
    return planner


def test_a_large_page_is_served_gzipped_when_asked_and_varies_on_accept_encoding(client, login,
                                                                                make):
    login(_board(make))
    plain = client.get(_board_url())
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    zipped = client.get(_board_url(), headers=GZIP)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"] and "HX-Request" in zipped.headers["Vary"]
    html = gzip.decompress(zipped.get_data()).decode()
    assert "Ploeg 0" in html and "Kerstpakket" in html
    assert len(zipped.get_data()) < len(plain.get_data()) / 4
    assert int(zipped.headers["Content-Length"]) == len(zipped.get_data())


def test_brotli_is_preferred_when_the_browser_offers_it(client, login, make):
    login(_board(make))
    response = client.get(_board_url(), headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert "Kerstpakket" in brotli.decompress(response.get_data()).decode()


def test_small_responses_are_left_alone(client, login, make):
    login(make.user("planner"))
    response = client.post("/auth/logout", headers=GZIP)
    assert response.status_code in (302, 303) and "Content-Encoding" not in response.headers


def test_the_polled_day_list_still_answers_204_and_304(client, login, make):
    boss = make.user("supervisor")
    group = make.group(supervisor=boss)
    for n in range(6):
        make.employee(work_group=group, first_name=f"Anna{n}")
    login(boss)
    url = f"/attendance/groups/{group.id}/{today().isoformat()}/list"
    first = client.get(url, headers={**GZIP, "HX-Request": "true"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
    version = first.headers["ETag"].strip('"').removesuffix(":gzip")
    unchanged = client.get(f"{url}?v={version}", headers=GZIP)
    assert unchanged.status_code == 204 and not unchanged.data
    assert "Content-Encoding" not in unchanged.headers
    # The validator the browser got back (with the encoding appended) still gives a 304.
    again = client.get(url, headers={**GZIP, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_photos_are_not_recompressed(client, login, make):
    admin = make.user("admin")
    person = make.photo(make.employee())
    login(admin)
    photo = client.get(f"/people/employees/{person.id}/photo", headers=GZIP)
    assert photo.status_code == 200 and "Content-Encoding" not in photo.headers
    again = client.get(f"/people/employees/{person.id}/photo",
                       headers={**GZIP, "If-None-Match": photo.headers["ETag"]})
    assert again.status_code == 304


def test_spreadsheets_download_as_they_are(client, login, make):
    login(make.user("planner"))
    make.order(product="Kerstpakket", quantity=100)
    for fmt in ("csv", "xlsx"):
        export = client.get(f"/orders/export.{fmt}", headers=GZIP)
        assert export.status_code == 200 and "Content-Encoding" not in export.headers
        assert export.headers["Content-Disposition"].startswith("attachment")


def test_the_kiosk_service_worker_script_decompresses_to_the_same_script(client):
    plain = client.get("/kiosk/sw.js").get_data()
    zipped = client.get("/kiosk/sw.js", headers=GZIP)
    assert zipped.mimetype == "text/javascript"
    assert zipped.headers["Cache-Control"] == "no-cache"
    assert len(plain) > 500 and zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain
