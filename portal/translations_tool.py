"""Keep the Dutch catalogs in step with the code: extract, update, compile, check.

Each area keeps its own catalog (portal/<area>/translations/nl/...) so that work in one area
never edits another's; the shared catalog (portal/translations) holds the top-level modules
and the shared templates. flask-babel merges them all at run time.
"""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / "portal"
TEMPLATES = ROOT / "templates"
SHARED = "_shared"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "lazy_ngettext": (1, 2)}
LANGUAGE = "nl"


def areas() -> list[str]:
    """The area packages of the portal (each a folder with an __init__.py)."""
    return sorted(p.parent.name for p in PORTAL.glob("*/__init__.py"))


def catalog_path(area: str) -> Path:
    base = PORTAL / "translations" if area == SHARED else PORTAL / area / "translations"
    return base / LANGUAGE / "LC_MESSAGES" / "messages.po"


def _sources(area: str):
    """(directory, method map) pairs whose messages belong to an area's catalog."""
    if area == SHARED:
        return [
            (PORTAL, [("*.py", "python")]),
            (TEMPLATES, [("*.html", "jinja2"), ("_partials/**.html", "jinja2"),
                         ("_macros/**.html", "jinja2"), ("errors/**.html", "jinja2")]),
        ]
    return [(PORTAL / area, [("**.py", "python")]),
            (TEMPLATES / area, [("**.html", "jinja2")])]


def extract(area: str) -> Catalog:
    """Collect the messages an area's code and templates use."""
    catalog = Catalog(locale=LANGUAGE, project="werkvloer-portal", charset="utf-8")
    for directory, method_map in _sources(area):
        if not directory.exists():
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
            str(directory), method_map, keywords=KEYWORDS,
            # Babel skips folders that start with "_" unless told otherwise: _partials count.
            directory_filter=lambda path: "__pycache__" not in path,
        ):
            if area == SHARED and directory == PORTAL and "/" in filename:
                continue  # only the top-level modules belong to the shared catalog
            catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                        context=context)
    return catalog


def update(area: str) -> Path:
    """Bring an area's catalog in line with its code, keeping every existing translation."""
    template = extract(area)
    path = catalog_path(area)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=LANGUAGE)
    else:
        catalog = Catalog(locale=LANGUAGE, project="werkvloer-portal", charset="utf-8")
    # No fuzzy matching: it once offered "Staf" (staff) as the Dutch for "Start".
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True,
                 no_location=True)
    return path


def compile_all() -> list[Path]:
    """Write the .mo file beside every catalog; they are build output, not kept in git."""
    written = []
    for po in sorted(PORTAL.glob("**/translations/*/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def missing(area: str) -> list[str]:
    """Messages an area uses that its catalog does not translate (or only fuzzily)."""
    used = extract(area)
    path = catalog_path(area)
    known = {}
    if path.exists():
        with path.open("rb") as handle:
            known = {m.id: m for m in read_po(handle) if m.id}
    gaps = []
    for message in used:
        if not message.id:
            continue
        entry = known.get(message.id)
        strings = entry.string if entry else None
        translated = entry and not entry.fuzzy and (
            all(strings) if isinstance(strings, (list, tuple)) else bool(strings))
        if not translated:
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps
