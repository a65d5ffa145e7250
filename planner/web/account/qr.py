"""The QR code of an authenticator key, as an image the page can show inline."""

from __future__ import annotations

import segno


def qr_data_uri(uri: str) -> str:
    """An SVG data: URI of the otpauth:// address (allowed by the page's img-src 'self' data:)."""
    return segno.make(uri, error="m").svg_data_uri(scale=4, border=4, dark="#000", light="#fff")
