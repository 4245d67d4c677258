"""One English message, one Dutch meaning, across every catalog.

flask-babel merges the per-area catalogs into one at run time, so when two areas translate the
same msgid differently only one translation survives, and one area shows the other's word
("Number" as "Nummer" where "Aantal" was meant). Give such a message its own msgid instead.
"""

from babel.messages.pofile import read_po

from portal import translations_tool


def _translations():
    found = {}
    for po in sorted(translations_tool.PORTAL.glob("**/translations/nl/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string and isinstance(message.id, str):
                    found.setdefault((message.context, message.id), {})[
                        str(po.relative_to(translations_tool.ROOT))] = message.string
    return found


def test_a_message_means_the_same_in_every_catalog():
    clashes = {msgid: by_catalog for (_context, msgid), by_catalog in _translations().items()
               if len(set(by_catalog.values())) > 1}
    assert not clashes, f"translated differently in different catalogs: {clashes}"
