"""A clinic's photo of an exercise: decoded to prove what it is, then re-encoded.

A file name or a browser's content type says nothing about the bytes, so every upload is
decoded with Pillow. Only the pixels are kept: EXIF (a phone photo can carry the place it was
taken), XMP, IPTC, comments, text chunks, colour profiles, everything else is dropped. Before
that the EXIF orientation is applied, so the picture stays upright, and the colours are turned
into sRGB by their profile, so they look the same without it.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

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
            image: Image.Image = Image.open(io.BytesIO(data), formats=list(FORMATS))
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
    if kind == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA") or "transparency" in image.info:
            image = image.convert("RGBA")  # a palette or a transparent colour becomes real alpha
    elif image.mode != "RGB":
        image = image.convert("RGB")
    image = pixels_only(in_srgb(image))
    out = io.BytesIO()
    if kind == "PNG":
        image.save(out, "PNG")
    else:
        image.save(out, "JPEG", quality=85)
    return out.getvalue(), FORMATS[kind]


def in_srgb(image: Image.Image) -> Image.Image:
    """The image's colours in sRGB, by its embedded colour profile; as it is without a usable one.

    Browsers and PDF readers take an untagged picture as sRGB, so a phone's wide-gamut (Display
    P3) photo stripped of its profile would look dull without this.
    """
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the numbers as they are, which is what most viewers show
    return converted if converted is not None else image  # None only when converting in place


def pixels_only(image: Image.Image) -> Image.Image:
    """A new image of the same pixels and nothing else: no EXIF, comment, profile or text to save.

    (Pillow writes some of what it read back out, e.g. a JPEG's comment and a PNG's profile.)
    """
    return Image.frombytes(image.mode, image.size, image.tobytes())
