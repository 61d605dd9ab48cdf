"""Browsers ask every site for /favicon.ico, and pages name their icon."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders


def test_favicon_ico_answers_with_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    body = b"".join(response.streaming_content)
    # An ICO header (reserved 0, type 1) holding at least one image.
    assert body[:4] == b"\x00\x00\x01\x00" and body[4] >= 1
    assert "max-age" in response["Cache-Control"]


@pytest.mark.django_db
def test_every_page_links_its_icon(client):
    page = client.get("/en/").content.decode()
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert icons == ["/static/favicon.ico", "/static/favicon.svg"]
    for href in icons:
        assert finders.find(href.removeprefix("/static/")), href
    svg = Path(finders.find("favicon.svg")).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "viewBox" in svg
