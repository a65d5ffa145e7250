"""A clinic's photo of an exercise: decoded to prove what it is, then re-encoded.

A file name or a browser's content type says nothing about the bytes, so every upload is
decoded with Pillow. Re-encoding drops EXIF and other metadata (a phone photo can carry the
place it was taken) after the EXIF orientation is applied, so the picture stays upright.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from planner.services import DomainError

MAX_BYTES = 5 * 1024 * 1024
# Far above any phone camera, far below what a decompression bomb unpacks to.
MAX_PIXELS = 50_000_000
# The longest side kept: sharp on a page and a printed handout, small in the database.
MAX_SIDE = 1600
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


class PhotoRejected(DomainError):
    """The upload is not a photo we store; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "photo")


def prepare_photo(data: bytes) -> tuple[bytes, str]:
    """The photo re-encoded without metadata, and its MIME type.

    :raise PhotoRejected: when the file is empty, over 5 MB, not a JPEG or PNG, too many
        pixels, or damaged or cut short.
    """
    if not data:
        raise PhotoRejected("The file is empty. Choose a JPEG or PNG photo.")
    if len(data) > MAX_BYTES:
        raise PhotoRejected(
            f"The photo is {len(data) / 1024 / 1024:.1f} MB; the limit is 5 MB. Choose a smaller photo."
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns below its own hard limit; treat the warning as the refusal it is.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoRejected(
                    f"The picture is {width} × {height} pixels; the limit is {MAX_PIXELS // 1_000_000} million pixels."
                )
            image.load()  # decodes every byte: a truncated file fails here
    except UnidentifiedImageError:
        raise PhotoRejected("This file is not a JPEG or PNG picture. Choose a photo saved as JPEG or PNG.") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(
            f"The picture has too many pixels; the limit is {MAX_PIXELS // 1_000_000} million."
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise PhotoRejected("The picture is damaged or incomplete. Save it again and choose it once more.") from None
    kind = image.format or "JPEG"
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if kind == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        image.save(out, "PNG")
    else:
        if image.mode != "RGB":
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=85)
    return out.getvalue(), FORMATS[kind]
