"""A machine without the font gets a message saying how to install it."""

import pytest

from huanjie.documents import fonts


def test_a_missing_font_names_the_file_and_the_package(monkeypatch, tmp_path):
    missing = str(tmp_path / "nowhere.ttc")
    monkeypatch.setattr(fonts, "FONT_FILE", missing)
    monkeypatch.setattr(fonts, "_registered", False)
    with pytest.raises(fonts.FontMissing) as caught:
        fonts.register()
    assert missing in str(caught.value) and "fonts-wqy-zenhei" in str(caught.value)


def test_registered_once(monkeypatch):
    assert fonts.register() == fonts.CJK
    assert fonts.register() == fonts.CJK
