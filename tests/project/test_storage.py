"""The private storage: apart from the public media, checked at start-up."""

from __future__ import annotations

from configurator.storage import check_private_root, is_private_name


def test_a_private_folder_inside_media_root_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "configurator.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media" / "private"},
        },
    }
    assert [error.id for error in check_private_root()] == ["configurator.E001"]
    settings.STORAGES["private"]["OPTIONS"]["location"] = tmp_path / "private"
    assert check_private_root() == []


def test_names_of_private_kinds_are_known_wherever_they_are():
    assert [
        is_private_name(name)
        for name in (
            "uploads/2025/01/a.png",
            "/orders/CFG-1/1-photo.png",
            "production/e1/photo.png",
            "previews/3/private/k.webp",
            "previews/3/k.webp",
            "demo/thumbs/tote-dots.png",
        )
    ] == [True, True, True, True, False, False]
