"""Every message the portal shows has its Dutch translation in the area's catalog."""

import pytest

from portal import translations_tool


@pytest.mark.parametrize("area", [translations_tool.SHARED, *translations_tool.areas()])
def test_every_message_of_the_area_is_translated_into_dutch(area):
    missing = translations_tool.missing(area)
    assert not missing, (
        f"untranslated in {translations_tool.catalog_path(area)}: {missing[:20]} — run "
        f"`flask --app portal translations update {area}` and fill in the Dutch")


def test_translated_messages_keep_their_placeholders():
    from babel.messages.pofile import read_po

    for po in translations_tool.PORTAL.glob("**/translations/nl/LC_MESSAGES/messages.po"):
        with po.open("rb") as handle:
            for message in read_po(handle):
                if not message.id or not message.string or isinstance(message.id, tuple):
                    continue
                for placeholder in ("%(", "%d", "%s"):
                    assert message.id.count(placeholder) == message.string.count(placeholder), (
                        f"{po}: {message.id!r} -> {message.string!r}")

