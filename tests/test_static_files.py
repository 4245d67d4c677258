"""Static files: WhiteNoise serves them compressed, versioned and cached for a year."""

import gzip
import re
from pathlib import Path

import brotli
import pytest

from portal import ROOT, static_files

STATIC = Path(ROOT) / "static"
HTMX = "vendor/htmx-2.0.11.min.js"
WASM = "vendor/barcode-detector-3.2.2/zxing_reader-3.1.3.wasm"


@pytest.fixture(scope="module", autouse=True)
def compressed():
    """The copies bin/setup writes; WhiteNoise finds them when the app is made."""
    static_files.compress(STATIC)


def versioned_url(html: str, filename: str) -> str:
    match = re.search(rf'/static/{re.escape(filename)}\?v=([0-9a-f]{{12}})"', html)
    assert match, f"no versioned URL of {filename}"
    return match.group(0).rstrip('"')


def test_pages_ask_for_static_files_by_a_versioned_url(client):
    html = client.get("/auth/login").get_data(as_text=True)
    url = versioned_url(html, HTMX)
    assert url.endswith(static_files.file_version(str(STATIC / HTMX)))


def test_htmx_goes_out_brotli_or_gzip_and_is_cached_for_a_year(client):
    url = versioned_url(client.get("/auth/login").get_data(as_text=True), HTMX)
    original = (STATIC / HTMX).read_bytes()
    with client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"}) as br:
        assert br.headers["Content-Encoding"] == "br"
        assert brotli.decompress(br.get_data()) == original
        assert len(br.get_data()) < 20_000 < 50_000 < len(original)
        assert "max-age=31536000" in br.headers["Cache-Control"]
        assert "immutable" in br.headers["Cache-Control"]
        assert "Accept-Encoding" in br.headers["Vary"]
        assert br.headers["X-Content-Type-Options"] == "nosniff"
    with client.get(url, headers={"Accept-Encoding": "gzip"}) as zipped:
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.get_data()) == original
    with client.get(url) as plain:
        assert "Content-Encoding" not in plain.headers and plain.get_data() == original
        etag = plain.headers["ETag"]
    with client.get(url, headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304


def test_the_scanners_wasm_goes_out_compressed(client):
    with client.get(f"/static/{WASM}", headers={"Accept-Encoding": "br"}) as response:
        assert response.headers["Content-Encoding"] == "br"
        assert len(response.get_data()) < 0.5 * (STATIC / WASM).stat().st_size


def test_a_changed_file_gets_a_new_version(tmp_path):
    one, other = tmp_path / "a.css", tmp_path / "b.css"
    one.write_text("body { color: black }")
    other.write_text("body { color: navy }")
    assert static_files.file_version(str(one)) != static_files.file_version(str(other))
    assert static_files.file_version(str(tmp_path / "missing.css")) is None


def test_a_copy_older_than_its_file_is_written_again_when_the_app_starts(tmp_path):
    from flask import Flask

    sheet = tmp_path / "site.css"
    sheet.write_text("body { color: black }" * 50)
    static_files.compress(tmp_path)
    sheet.write_text("body { color: navy }" * 50)  # an update that did not run bin/setup
    app = Flask(__name__, static_folder=str(tmp_path), static_url_path="/static")
    static_files.init_app(app)
    served = app.test_client().get("/static/site.css", headers={"Accept-Encoding": "br"})
    body = served.get_data()
    served.close()
    assert served.headers["Content-Encoding"] == "br"
    assert brotli.decompress(body) == sheet.read_bytes()


def test_the_kiosk_service_worker_caches_the_urls_the_kiosk_page_asks_for(client, make):
    worker = client.get("/kiosk/sw.js").get_data(as_text=True)
    for filename in ("js/kiosk.js", "css/kiosk.css", WASM):
        version = static_files.file_version(str(STATIC / filename))
        assert f"/static/{filename}?v={version}" in worker
