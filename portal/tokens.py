"""How the portal stores a secret it hands out (badge tokens, codes, credentials): its hash."""

import hashlib


def sha256(text: str) -> str:
    """Hex sha256 of a text: how tokens, codes and credentials are stored."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
