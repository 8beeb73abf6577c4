"""sanitize_upload, pure: bounded decoding; a full house refuses instead of queueing."""

from __future__ import annotations

import io
import threading

import pytest
from PIL import Image

from configurator.uploads.sanitize import UploadRejected, sanitize_upload

LIMITS = {"max_bytes": 1_000_000, "max_pixels": 25_000_000}


def png(width: int = 40, height: int = 30, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), 1).save(out, "PNG")
    return out.getvalue()


def test_a_held_slot_refuses_the_next_picture_and_stays_held():
    slots = threading.BoundedSemaphore(1)
    assert slots.acquire(blocking=False)  # another picture is being decoded
    with pytest.raises(UploadRejected) as caught:
        sanitize_upload(png(), **LIMITS, slots=slots, wait=0.01)
    assert (caught.value.code, str(caught.value)) == (
        "upload.E005",
        "Too many pictures are being prepared; try again shortly.",
    )
    slots.release()
    assert slots.acquire(blocking=False)  # the refusal took no slot and left none taken
    slots.release()


def test_a_free_slot_is_taken_and_given_back():
    slots = threading.BoundedSemaphore(1)
    clean = sanitize_upload(png(), **LIMITS, slots=slots, wait=0.01)
    assert (clean.format, clean.width, clean.height) == ("png", 40, 30)
    assert slots.acquire(blocking=False)


def test_a_refused_picture_gives_its_slot_back():
    slots = threading.BoundedSemaphore(1)
    with pytest.raises(UploadRejected) as caught:
        sanitize_upload(png(6000, 5000, "1"), **LIMITS, slots=slots, wait=0.01)
    assert caught.value.code == "upload.E003"
    assert slots.acquire(blocking=False)


def test_cheap_refusals_need_no_slot():
    slots = threading.BoundedSemaphore(1)
    assert slots.acquire(blocking=False)
    with pytest.raises(UploadRejected) as caught:
        sanitize_upload(b"GIF89a", **LIMITS, slots=slots, wait=0.01)
    assert caught.value.code == "upload.E002"
