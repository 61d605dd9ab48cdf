"""Uploaded documents: stored under our own name with the extension of the type read
from the content, refused when they are no PDF/JPEG/PNG, and served only as a download
to staff who may read registrations."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from registrations import services
from registrations.models import Answer, Question

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<html><script>alert(document.cookie)</script></html>"
STORED = re.compile(r"^registrations/answers/[0-9a-f]{32}/[0-9a-f]{32}\.(pdf|jpg|png)$")


@pytest.fixture
def file_question(edition, make_category):
    category = make_category(edition)
    question = Question.objects.create(conference=edition, kind="file", order=1, label={"en": "Letter"})
    question.categories.add(category)
    return category, question


def register_with(client, edition, category, question, upload, make_delegate):
    client.force_login(make_delegate(language="en"))
    return client.post(f"/en/{edition.slug}/register/{category.slug}/", {f"q_{question.pk}": upload})


@pytest.mark.parametrize(
    ("sent_as", "content", "extension"),
    [("letter.html", PDF, "pdf"), ("photo.svg", JPEG, "jpg"), ("scan.exe", PNG, "png"),
     ("letter.pdf", PDF, "pdf")],
)
def test_stored_under_our_name_with_the_detected_type(
    client, edition, file_question, make_delegate, sent_as, content, extension, mailoutbox
):
    category, question = file_question
    response = register_with(
        client, edition, category, question, SimpleUploadedFile(sent_as, content, "text/html"), make_delegate
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert STORED.match(answer.file.name), answer.file.name
    assert answer.file.name.endswith(f".{extension}")
    assert answer.file_name == sent_as  # shown to staff as the sender named it


@pytest.mark.parametrize("sent_as", ["letter.pdf", "letter.html", "image.png"])
def test_other_content_is_refused_with_a_message(client, edition, file_question, make_delegate, sent_as):
    category, question = file_question
    upload = SimpleUploadedFile(sent_as, HTML, "application/pdf")
    response = register_with(client, edition, category, question, upload, make_delegate)
    assert response.status_code == 200
    assert "Only PDF, JPEG or PNG files are accepted." in response.content.decode()
    assert not Answer.objects.exists()


def test_code_that_skips_the_form_cannot_store_other_types(edition, file_question, make_delegate):
    category, question = file_question
    user = make_delegate(language="en")
    with pytest.raises(ValidationError):
        services.register(user=user, category=category,
                          answers={question: SimpleUploadedFile("a.pdf", HTML, "application/pdf")})
    assert not Answer.objects.exists()
    answer = Answer(question=question)
    with pytest.raises(ValidationError):
        answer.file.save("a.pdf", io.BytesIO(HTML), save=False)


def test_staff_download_is_an_attachment_of_the_detected_type(
    client, edition, file_question, make_delegate, make_staff, mailoutbox
):
    category, question = file_question
    register_with(client, edition, category, question,
                  SimpleUploadedFile("My letter.html", PDF, "text/html"), make_delegate)
    answer = Answer.objects.get()
    url = f"/en/{edition.slug}/staff/answers/{answer.pk}/"
    # The delegate who sent it, and team members who do not read registrations: no.
    assert client.get(url).status_code == 403
    client.force_login(make_staff(edition, "reviewer"))
    assert client.get(url).status_code == 403
    client.force_login(make_staff(edition, "organizer"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="My letter.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response.close()


def test_an_old_upload_with_a_foreign_extension_is_sent_as_opaque_bytes(
    client, edition, file_question, make_delegate, make_staff, mailoutbox
):
    """Files stored before names were ours (``document.html``) still leave as a
    download that no browser renders."""
    from django.core.files.storage import default_storage

    category, question = file_question
    register_with(client, edition, category, question, SimpleUploadedFile("a.pdf", PDF), make_delegate)
    answer = Answer.objects.get()
    old_name = default_storage.save("registrations/answers/old/document.html", io.BytesIO(HTML))
    Answer.objects.filter(pk=answer.pk).update(file=old_name, file_name="document.html")
    client.force_login(make_staff(edition, "organizer"))
    response = client.get(f"/en/{edition.slug}/staff/answers/{answer.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="document.bin"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()
