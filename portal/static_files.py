"""Static files through WhiteNoise: compressed, cache-busted and cached for a year.

WhiteNoise serves /static/ in front of Flask (any WSGI app): it answers with the gzip or
brotli copy a browser accepts when one lies next to the file (htmx 52 KB goes out as 15 KB,
the scanner's wasm 1.09 MB as about 450 KB), handles ranges and validators, and is a kept
library rather than a view of our own. It does not compress on the fly: `compress()` writes
the copies (bin/setup runs it, `flask --app portal compress-static`, and every start checks for
stale ones), and skips files whose copies are up to date.

Cache-busting: every url_for('static', ...) carries `v`, the first characters of the file's
SHA-256, so a changed file has a new URL and every file can be cached for a year
("immutable"). flask-compress keeps compressing the pages Flask makes; it never sees
/static/, which WhiteNoise answers first. The kiosk's service worker caches the same
versioned URLs the kiosk page asks for; a new file changes its URL in sw.js too, so the
worker installs afresh and drops the old cache.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

YEAR = 365 * 24 * 3600
# Text and the wasm shrink; images (svg aside) and fonts are compressed already.
COMPRESSIBLE = (".css", ".js", ".mjs", ".svg", ".wasm", ".json", ".txt", ".map", ".html")


def init_app(app: Flask) -> None:
    """Put WhiteNoise in front of the app for /static/, and version every static URL."""
    root = Path(app.static_folder)
    _refresh_copies(root, app)
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(root), prefix=app.static_url_path,
                              max_age=YEAR, immutable_file_test=lambda path, url: True,
                              add_headers_function=_security_headers)

    @app.url_defaults
    def _version_static_urls(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = file_version(str(root / values["filename"]))
            if version:
                values["v"] = version


def _refresh_copies(root: Path, app: Flask) -> None:
    """Write again the compressed copies that are older than their file.

    WhiteNoise serves a copy without comparing it to its file, so after an update that skipped
    bin/setup a changed stylesheet would go out as its old copy under the new file's URL (and
    be cached for a year). Only stale copies are written; checking costs a stat per file.
    """
    try:
        compress(root)
    except OSError as error:  # a read-only static folder: say so rather than fail to start
        app.logger.warning("Could not refresh the compressed static files (%s); run "
                           "`flask --app portal compress-static` as the files' owner.", error)


def _security_headers(headers, path, url):
    # Flask's after_request (portal/security.py) never sees these responses.
    headers["X-Content-Type-Options"] = "nosniff"


@lru_cache(maxsize=512)
def file_version(path: str) -> str | None:
    """The first 12 hex digits of a file's SHA-256 (None when there is no such file).

    Read once per process: static files change only with a new release (and a restart).
    """
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:
        return None


def compress(root: Path, quiet: bool = True) -> list[Path]:
    """Write gzip and brotli copies of the compressible files whose copies are missing or old."""
    compressor = Compressor(quiet=quiet)
    written = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in COMPRESSIBLE:
            continue
        copies = [path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")]
        if all(c.exists() and c.stat().st_mtime >= path.stat().st_mtime for c in copies):
            continue
        written += [Path(p) for p in compressor.compress(str(path))]
    return written
