"""Activity materials: allowed types and sizes, scoped downloads (never /media/), deletion."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.choices import OrganizerLevel
from activities.models import ActivityMaterial
from dutyadmin.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\0" * 32
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 32
ZIP = b"PK\x03\x04" + b"\0" * 32


@pytest.fixture
def activity(world):
    return factories.ActivityFactory(
        term=world["term"], title="东四街道代表之家接待选民", organizer_level=OrganizerLevel.STREET_COMMITTEE,
        street_committee=world["dongsi"], date=dt.date(2024, 3, 1),
    )


def upload_url(activity) -> str:
    return reverse("activities:material_upload", args=[activity.pk])


@pytest.mark.parametrize(
    ("name", "content"),
    [("通知.pdf", PDF), ("签到表.xlsx", ZIP), ("签到表.xls", OLE2), ("总结.docx", ZIP), ("总结.doc", OLE2),
     ("现场.jpg", JPG), ("现场.JPEG", JPG), ("现场.png", PNG)],
)
def test_allowed_materials_are_kept_and_downloaded_through_the_scoped_view(login, activity, personas, name, content):
    client = login(Role.STREET_STAFF)
    response = client.post(upload_url(activity), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    material = ActivityMaterial.objects.get()
    assert (material.name, material.size, material.uploaded_by) == (name, len(content), personas[Role.STREET_STAFF])
    assert name not in material.file.name  # stored under a random name
    download = client.get(reverse("activities:material_download", args=[material.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert "attachment" in download["Content-Disposition"]
    page = client.get(reverse("activities:detail", args=[activity.pk])).text
    assert name in page and "/media/" not in page


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("病毒.exe", b"MZ" + b"\0" * 10, "只能上传"),
        ("无扩展名", PDF, "只能上传"),
        ("假的.pdf", b"<html>not a pdf</html>", "不符"),
        ("假的.png", JPG, "不符"),
        ("空.pdf", b"", "空"),
    ],
)
def test_other_files_are_refused_next_to_the_field(login, activity, name, content, words):
    response = login(Role.STREET_STAFF).post(upload_url(activity), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert words in str(response.context["material_form"].errors["file"])
    assert not ActivityMaterial.objects.exists()


def test_a_material_over_20_mb_is_refused(login, activity):
    content = PDF + b"\0" * (20 * 1024 * 1024)
    response = login(Role.STREET_STAFF).post(upload_url(activity), {"file": SimpleUploadedFile("大.pdf", content)})
    assert response.status_code == 400
    assert "不能超过 20 MB" in str(response.context["material_form"].errors["file"])
    assert not ActivityMaterial.objects.exists()


def test_a_post_without_a_file_asks_for_one(login, activity):
    response = login(Role.STREET_STAFF).post(upload_url(activity), {})
    assert response.status_code == 400


@pytest.fixture
def material(activity, personas):
    from activities import services

    return services.activity_material_add(
        user=personas[Role.STREET_STAFF], activity=activity, upload=SimpleUploadedFile("通知.pdf", PDF)
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.STREET_STAFF, 200), (Role.STREET_DIRECTOR, 200), (Role.LIAISON_OFFICE, 200), (Role.SECRETARIAT, 200),
     ("nobody", 404)],
)
def test_downloads_follow_who_may_see_the_activity(login, material, role, status):
    assert login(role).get(reverse("activities:material_download", args=[material.pk])).status_code == status


def test_another_streets_staff_cannot_download_or_upload(login, world, material, activity):
    from django.test import Client

    client = Client()
    client.force_login(factories.make_user(Role.STREET_STAFF, street_committee=world["chaoyang"]))
    assert client.get(reverse("activities:material_download", args=[material.pk])).status_code == 404
    assert client.post(upload_url(activity), {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404


def test_viewers_who_do_not_organize_cannot_upload_or_delete(login, material, activity):
    client = login(Role.STREET_DIRECTOR)
    assert client.post(upload_url(activity), {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    assert client.post(reverse("activities:material_delete", args=[material.pk])).status_code == 403
    assert ActivityMaterial.objects.count() == 1


def test_deleting_a_material_removes_its_file(login, material, django_capture_on_commit_callbacks):
    name = material.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(Role.STREET_STAFF).post(reverse("activities:material_delete", args=[material.pk]))
    assert response.status_code == 302
    assert not ActivityMaterial.objects.exists() and not default_storage.exists(name)


def test_deleting_an_activity_removes_its_materials_files(login, material, activity, django_capture_on_commit_callbacks):
    name = material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        login(Role.STREET_STAFF).post(reverse("activities:delete", args=[activity.pk]))
    assert not default_storage.exists(name)


def test_media_urls_are_not_served(login, material):
    assert login(Role.STREET_STAFF).get("/media/" + material.file.name).status_code == 404
