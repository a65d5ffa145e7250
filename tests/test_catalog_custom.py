"""A clinic's own exercises: same rules as the files, a checked photo, retire and restore."""

from __future__ import annotations

import io
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo
from sqlalchemy import func, select

from planner.catalog.photo import MAX_BYTES, PhotoRejected, prepare_photo
from planner.models import Exercise
from planner.services import custom_exercises as ce
from tests import exercise_files as ef
from tests.factories import make_clinic

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def data(**changes) -> ce.CustomExerciseData:  # noqa: ANN003
    fields = {k: v for k, v in ef.VALID.items() if k in ce.CustomExerciseData.__dataclass_fields__}
    return ce.CustomExerciseData(**{**fields, **changes})


def jpeg(size=(64, 32), exif_orientation: int | None = None) -> bytes:  # noqa: ANN001
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Example camera maker"
    if exif_orientation:
        exif[0x0112] = exif_orientation
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(size=(40, 20), mode="RGBA") -> bytes:  # noqa: ANN001
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def count(db) -> int:  # noqa: ANN001
    return db.scalar(select(func.count()).select_from(Exercise))


def test_create_fills_every_field_and_the_search_text(service_db):
    clinic = make_clinic(service_db)
    exercise = ce.create_custom_exercise(service_db, clinic.id, data(name="  Towel   neck glide "), NOW)
    service_db.commit()
    assert exercise.slug == f"custom-{clinic.id}-towel-neck-glide"
    assert exercise.clinic_id == clinic.id and exercise.name == "Towel neck glide"
    assert exercise.steps == ef.VALID["steps"] and exercise.dosage == ef.VALID["dosage"]
    assert exercise.picture == {} and exercise.photo is None
    assert "towel neck glide" in exercise.search_text and " regions:neck " in exercise.facets


def test_the_same_name_twice_gets_a_new_id(service_db):
    clinic = make_clinic(service_db)
    first = ce.create_custom_exercise(service_db, clinic.id, data(name="Neck glide"), NOW)
    second = ce.create_custom_exercise(service_db, clinic.id, data(name="Neck glide"), NOW)
    assert (first.slug, second.slug) == (f"custom-{clinic.id}-neck-glide", f"custom-{clinic.id}-neck-glide-2")


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"steps": []}, ("steps", "list at least one")),
        ({"cautions": ["  "]}, ("cautions", "list at least one")),
        ({"difficulty": 5}, ("difficulty", "must be 1 (easy), 2 (moderate) or 3 (hard), not 5")),
        (
            {"category": "cardio"},
            (
                "category",
                "unknown value 'cardio'; use one of range_of_motion, strengthening, "
                "posture, stretching, sensory_trick, relaxation, balance, task_practice, "
                "speech_swallow",
            ),
        ),
        ({"dosage": {"sets": 2}}, ("dosage", "give at least one of repetitions, hold_seconds or minutes")),
        ({"dosage": {"repetitions": 99}}, ("dosage.repetitions", "99 is out of range: use 1 to 50")),
        ({"progression": ["no-such"]}, ("progression", "no exercise has the id “no-such”")),
    ],
)
def test_the_schema_rules_apply(service_db, changes, problem):
    clinic = make_clinic(service_db)
    with pytest.raises(ce.InvalidExercise) as caught:
        ce.create_custom_exercise(service_db, clinic.id, data(**changes), NOW)
    assert problem in caught.value.problems
    service_db.rollback()
    assert count(service_db) == 0


def test_links_only_to_exercises_the_clinic_sees(service_db):
    ours, other = make_clinic(service_db), make_clinic(service_db)
    theirs = ce.create_custom_exercise(service_db, other.id, data(name="Their glide"), NOW)
    mine = ce.create_custom_exercise(service_db, ours.id, data(name="My glide"), NOW)
    with pytest.raises(ce.InvalidExercise):
        ce.create_custom_exercise(service_db, ours.id, data(name="Next", progression=[theirs.slug]), NOW)
    linked = ce.create_custom_exercise(service_db, ours.id, data(name="Easier glide", progression=[mine.slug]), NOW)
    assert linked.progression == [mine.slug]


def test_edit_keeps_the_id_and_says_what_changed(service_db):
    clinic = make_clinic(service_db)
    exercise = ce.create_custom_exercise(service_db, clinic.id, data(name="Neck glide"), NOW)
    changed = ce.update_custom_exercise(
        service_db, exercise, data(name="Neck glide lying", difficulty=2), NOW + timedelta(days=1)
    )
    assert changed == ["name", "difficulty"]
    assert exercise.slug == f"custom-{clinic.id}-neck-glide"
    assert "neck glide lying" in exercise.search_text
    assert exercise.updated_at == NOW + timedelta(days=1)


def test_retire_and_restore(service_db):
    clinic = make_clinic(service_db)
    exercise = ce.create_custom_exercise(service_db, clinic.id, data(name="Neck glide"), NOW)
    ce.retire_custom_exercise(service_db, exercise, NOW)
    service_db.commit()
    assert exercise.retired_at == NOW and count(service_db) == 1
    ce.restore_custom_exercise(service_db, exercise, NOW)
    assert exercise.retired_at is None


def test_a_photo_is_stored_re_encoded(service_db):
    clinic = make_clinic(service_db)
    exercise = ce.create_custom_exercise(service_db, clinic.id, data(), NOW, photo=jpeg())
    service_db.commit()
    service_db.expire_all()
    stored = service_db.get(Exercise, exercise.id)
    assert stored.photo_mime == "image/jpeg"
    assert Image.open(io.BytesIO(stored.photo)).size == (64, 32)
    assert ce.update_custom_exercise(service_db, stored, data(), NOW, remove_photo=True) == ["photo"]
    assert stored.photo is None and stored.photo_mime == ""


def test_a_refused_photo_stores_nothing(service_db):
    clinic = make_clinic(service_db)
    with pytest.raises(PhotoRejected):
        ce.create_custom_exercise(service_db, clinic.id, data(), NOW, photo=b"%PDF-1.4 not a picture")
    service_db.rollback()
    assert count(service_db) == 0
    exercise = ce.create_custom_exercise(service_db, clinic.id, data(), NOW, photo=png())
    service_db.commit()
    with pytest.raises(PhotoRejected):
        ce.update_custom_exercise(service_db, exercise, data(name="Changed"), NOW, photo=b"GIF89a")
    service_db.rollback()
    service_db.expire_all()
    again = service_db.get(Exercise, exercise.id)
    assert again.name == ef.VALID["name"] and again.photo_mime == "image/png"


def test_exif_is_removed_after_turning_the_photo_upright():
    # Orientation 6: the camera was turned; the picture must be shown rotated a quarter turn.
    original = jpeg(size=(64, 32), exif_orientation=6)
    assert b"Example camera maker" in original
    stored, mime = prepare_photo(original)
    image = Image.open(io.BytesIO(stored))
    assert mime == "image/jpeg" and image.format == "JPEG"
    assert image.size == (32, 64)
    assert not image.getexif() and b"Exif" not in stored and b"Example camera maker" not in stored


def segments(jpeg_bytes: bytes) -> list[tuple[int, bytes]]:
    """A JPEG's blocks up to the image data: (marker, first bytes of the block)."""
    found, i = [], 2
    while jpeg_bytes[i + 1] != 0xDA:  # start of scan: the pixels follow
        length = int.from_bytes(jpeg_bytes[i + 2 : i + 4], "big")
        found.append((jpeg_bytes[i + 1], jpeg_bytes[i + 4 : i + 9]))
        i += 2 + length
    return found


def with_blocks(jpeg_bytes: bytes, *blocks: tuple[int, bytes]) -> bytes:
    """The JPEG with more blocks right after its start marker (what Pillow cannot write itself)."""
    extra = b"".join(bytes([0xFF, marker]) + (len(body) + 2).to_bytes(2, "big") + body for marker, body in blocks)
    return jpeg_bytes[:2] + extra + jpeg_bytes[2:]


def png_chunks(png_bytes: bytes) -> list[bytes]:
    kinds, i = [], 8
    while i < len(png_bytes):
        length = int.from_bytes(png_bytes[i : i + 4], "big")
        kinds.append(png_bytes[i + 4 : i + 8])
        i += 12 + length
    return kinds


SECRETS = [b"Rue des Secrets 12", b"Dr. Private Phone", b"Olympus E-M10", b"52.5163", b"Adobe RGB"]
ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><exif:GPSLatitude>52.5163</exif:GPSLatitude></rdf:RDF></x:xmpmeta>'


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Olympus E-M10"  # maker
    exif[0x013B] = "Dr. Private Phone"  # artist
    exif[0x0112] = 1  # orientation: upright
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (52.0, 30.0, 58.68), 3: "E", 4: (13.0, 22.0, 40.0)})
    return exif


def test_every_jpeg_metadata_block_is_dropped_comments_included():
    out = io.BytesIO()
    Image.new("RGB", (64, 32), (200, 30, 30)).save(
        out, "JPEG", exif=exif_with_gps(), comment=b"Rue des Secrets 12", icc_profile=ICC, xmp=XMP
    )
    original = with_blocks(
        out.getvalue(),
        (0xFE, b"a second comment: 52.5163"),
        (0xED, b"Photoshop 3.0\x008BIM\x04\x04 Rue des Secrets 12"),  # IPTC
        (0xEE, b"Adobe RGB"),
        (0xEF, b"Olympus E-M10 maker notes"),
    )
    assert {m for m, _ in segments(original)} >= {0xE1, 0xE2, 0xFE, 0xED, 0xEE, 0xEF}
    stored, _ = prepare_photo(original)
    blocks = segments(stored)
    # Left: the JFIF header, quantisation and Huffman tables, the frame. Nothing about the photo.
    assert {m for m, _ in blocks} <= {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD}
    assert all(head.startswith(b"JFIF") for m, head in blocks if m == 0xE0)
    assert not any(secret in stored for secret in SECRETS)
    assert Image.open(io.BytesIO(stored)).getpixel((32, 16)) == pytest.approx((200, 30, 30), abs=4)


def test_every_png_metadata_chunk_is_dropped():
    info = PngInfo()
    info.add_text("Comment", "Rue des Secrets 12")
    info.add_text("Author", "Dr. Private Phone", zip=True)  # zTXt
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    info.add(b"tIME", bytes([7, 234, 3, 1, 12, 0, 0]))
    out = io.BytesIO()
    Image.new("RGBA", (40, 20), (10, 120, 200, 128)).save(
        out, "PNG", pnginfo=info, exif=exif_with_gps(), icc_profile=ICC, dpi=(300, 300)
    )
    original = out.getvalue()
    assert {b"tEXt", b"zTXt", b"iTXt", b"tIME", b"eXIf", b"iCCP", b"pHYs"} <= set(png_chunks(original))
    stored, mime = prepare_photo(original)
    assert mime == "image/png" and set(png_chunks(stored)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    assert not any(secret in stored for secret in SECRETS)
    assert Image.open(io.BytesIO(stored)).getpixel((5, 5)) == (10, 120, 200, 128)


# How a camera stores a picture it took turned, and EXIF's orientation tag that says how to show it:
# each orientation's pixels are the upright picture turned the other way (EXIF 2.32, tag 0x0112).
STORED_TURNED = {
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_90],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_270],
}
RED, GREEN, BLUE, WHITE = (220, 20, 20), (20, 200, 20), (20, 20, 220), (250, 250, 250)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_a_photo_taken_turned_is_stored_the_right_way_up(orientation):
    upright = Image.new("RGB", (96, 64))
    for (x, y), colour in {(0, 0): RED, (48, 0): GREEN, (0, 32): BLUE, (48, 32): WHITE}.items():
        upright.paste(colour, (x, y, x + 48, y + 32))
    taken = upright
    for step in STORED_TURNED.get(orientation, []):
        taken = taken.transpose(step)
    exif = exif_with_gps()
    exif[0x0112] = orientation
    out = io.BytesIO()
    taken.save(out, "JPEG", exif=exif, quality=95)
    stored = Image.open(io.BytesIO(prepare_photo(out.getvalue())[0]))
    assert stored.size == (96, 64) and not stored.getexif()
    corners = [stored.getpixel(p) for p in [(24, 16), (72, 16), (24, 48), (72, 48)]]
    for seen, expected in zip(corners, [RED, GREEN, BLUE, WHITE], strict=True):
        assert seen == pytest.approx(expected, abs=12), f"orientation {orientation}: {corners}"


WIDE_GAMUT = Path("/usr/share/color/icc/ghostscript/a98.icc")  # Adobe RGB (1998), from Debian's ghostscript


@pytest.mark.skipif(not WIDE_GAMUT.exists(), reason="no Adobe RGB profile on this machine (ghostscript's)")
def test_colours_of_a_wide_gamut_photo_look_the_same_without_the_profile():
    colour = (90, 160, 110)  # a muted green, inside sRGB in either space
    out = io.BytesIO()
    Image.new("RGB", (32, 32), colour).save(out, "PNG", icc_profile=WIDE_GAMUT.read_bytes())
    stored = Image.open(io.BytesIO(prepare_photo(out.getvalue())[0]))
    assert "icc_profile" not in stored.info

    def lab(rgb: tuple[int, int, int], profile) -> tuple[float, ...]:  # noqa: ANN001
        to_lab = ImageCms.buildTransform(profile, ImageCms.createProfile("LAB"), "RGB", "LAB")
        lightness, a, b = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), to_lab).getpixel((0, 0))
        return lightness * 100 / 255, a - 128, b - 128

    seen = lab(stored.getpixel((5, 5)), ImageCms.createProfile("sRGB"))
    meant = lab(colour, ImageCms.ImageCmsProfile(str(WIDE_GAMUT)))
    as_if_srgb = lab(colour, ImageCms.createProfile("sRGB"))  # what dropping the profile alone shows
    assert math.dist(seen, meant) < 3 < 10 < math.dist(as_if_srgb, meant)


def test_png_stays_png_with_its_transparency():
    stored, mime = prepare_photo(png(mode="RGBA"))
    assert mime == "image/png" and Image.open(io.BytesIO(stored)).mode == "RGBA"


def test_a_large_photo_is_made_smaller():
    stored, _ = prepare_photo(jpeg(size=(4000, 1000)))
    assert Image.open(io.BytesIO(stored)).size == (1600, 400)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"", "The file is empty"),
        (b"%PDF-1.4\n" + b"x" * 100, "not a JPEG or PNG"),
        (b"GIF89a" + b"\0" * 100, "not a JPEG or PNG"),
        (b"\0" * (MAX_BYTES + 1), "the limit is 5 MB"),
        (jpeg(size=(300, 300))[:-400], "damaged or incomplete"),
        (png(size=(300, 300), mode="RGB")[:-30], "damaged or incomplete"),
    ],
)
def test_refused_uploads(upload, message):
    with pytest.raises(PhotoRejected) as caught:
        prepare_photo(upload)
    assert message in caught.value.message
    assert caught.value.field == "photo"


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = io.BytesIO()
    Image.new("1", (9000, 9000)).save(bomb, "PNG")  # 81 million pixels in a few kilobytes
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(PhotoRejected, match="million pixels"):
        prepare_photo(bomb.getvalue())


def test_pillows_own_bomb_limit_is_a_refusal_not_a_warning():
    bomb = io.BytesIO()
    Image.new("1", (10000, 10000)).save(bomb, "PNG")  # past Pillow's warning threshold
    with pytest.raises(PhotoRejected, match="pixels"):
        prepare_photo(bomb.getvalue())
