"""An organization's logo: uploaded on the create and settings forms, checked, re-encoded,
served by the site, shown on its pages and in link previews, replaced and removed."""

import io
import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from events.models import CoHost, Organization, OrganizationSlugRedirect
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.workspace.conftest import Workspace, client_for

pytestmark = pytest.mark.django_db

CREATE = "/manage/organizations/new/"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Each test its own MEDIA_ROOT: deleted files are checked, and other runs share /tmp."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_bytes(
    size: tuple[int, int] = (300, 200),
    image_format: str = "PNG",
    mode: str = "RGB",
    color: Any = (200, 30, 30),
    **save: Any,
) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=image_format, **save)
    return buffer.getvalue()


def upload(content: bytes, name: str = "logo.png", content_type: str = "image/png") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny real PNG whose header claims another size: what a decompression bomb looks like
    before decoding (its pixels would be decoded only after the header is read)."""
    data = bytearray(image_bytes(size=(1, 1)))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def settings_url(slug: str = "shahrzad") -> str:
    return reverse("workspace:organization_settings", kwargs={"slug": slug})


def settings_data(organization: Organization, **extra: Any) -> dict[str, Any]:
    organization.refresh_from_db()
    return {
        "name": organization.name,
        "slug": organization.slug,
        "contact_email": organization.contact_email or "owner@example.org",
        "description": organization.description,
        "time_zone": organization.time_zone,
        "language": organization.language,
        **extra,
    }


def stored_files(media_root: Path) -> list[Path]:
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def logo_path(organization: Organization) -> str:
    organization.refresh_from_db()
    return organization.get_logo_url()


def upload_logo(workspace: Workspace, content: bytes, **kwargs: Any) -> Any:
    data = settings_data(workspace.organization, logo=upload(content, **kwargs))
    return client_for(workspace.owner).post(settings_url(), data)


def test_an_owner_uploads_a_logo_and_the_pages_show_it(
    workspace: Workspace, media_root: Path
) -> None:
    response = upload_logo(workspace, image_bytes(size=(1500, 1000), image_format="JPEG"))
    assert response.status_code == 302

    path = logo_path(workspace.organization)
    assert re.fullmatch(r"/o/shahrzad/logo/[0-9a-f]{24}\.jpg", path)
    served = client_for(None).get(path)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert "immutable" in served["Cache-Control"]
    # Fitted within 512 by 512 pixels, keeping its shape.
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as logo:  # type: ignore[attr-defined]
        assert logo.size == (512, 341)

    page = client_for(None).get("/o/shahrzad/").content.decode()
    assert f'<img class="organization-logo" src="{path}"' in page
    absolute = "https://convene.test" + path
    assert f'<meta property="og:image" content="{absolute}">' in page
    assert f'<meta name="twitter:image" content="{absolute}">' in page
    structured = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert structured is not None
    assert json.loads(structured.group(1))["logo"] == absolute

    event_page = client_for(None).get(workspace.event.get_absolute_url()).content.decode()
    assert f'<img class="organizer-logo" src="{path}"' in event_page
    assert f'<meta property="og:image" content="{absolute}">' in event_page
    structured = re.search(r'<script type="application/ld\+json">(.*?)</script>', event_page, re.S)
    assert structured is not None
    event_data = json.loads(structured.group(1))
    assert event_data["organizer"]["logo"] == absolute
    assert event_data["image"] == [absolute]
    assert len(stored_files(media_root)) == 1


def test_a_transparent_logo_stays_a_png_and_loses_its_metadata(workspace: Workspace) -> None:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    content = image_bytes(mode="RGBA", color=(0, 0, 0, 0), exif=exif.tobytes())
    assert b"SecretCam" in content
    assert upload_logo(workspace, content).status_code == 302
    path = logo_path(workspace.organization)
    assert path.endswith(".png")
    stored = b"".join(client_for(None).get(path).streaming_content)  # type: ignore[attr-defined]
    assert b"SecretCam" not in stored
    with Image.open(io.BytesIO(stored)) as logo:
        assert logo.mode == "RGBA"
        assert not logo.getexif()


def test_a_photo_is_turned_upright_by_its_exif_orientation(workspace: Workspace) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    content = image_bytes(size=(400, 200), image_format="JPEG", exif=exif.tobytes())
    response = upload_logo(workspace, content, name="photo.jpg", content_type="image/jpeg")
    assert response.status_code == 302
    stored = client_for(None).get(logo_path(workspace.organization))
    with Image.open(io.BytesIO(b"".join(stored.streaming_content))) as logo:  # type: ignore[attr-defined]
        assert logo.size == (200, 400)
        assert not logo.getexif()


def test_a_webp_is_accepted(workspace: Workspace) -> None:
    response = upload_logo(workspace, image_bytes(image_format="WEBP"), name="logo.webp")
    assert response.status_code == 302
    assert logo_path(workspace.organization).endswith(".jpg")


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (b"just some text, not an image", "logo.png", "this file is not one we can read"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "this file is not one we can read",
        ),
        (image_bytes(image_format="GIF", mode="P", color=1), "logo.gif", "not one we can read"),
        (image_bytes()[:60], "truncated.png", "this file is not one we can read"),
        (png_claiming_size(6000, 6000), "big.png", "too many pixels"),
        (png_claiming_size(40000, 40000), "bomb.png", "too many pixels"),
        (image_bytes() + b"\0" * (2 * 1024 * 1024), "heavy.png", "larger than 2 MB"),
    ],
    ids=["text-named-png", "svg", "gif", "truncated", "huge-dimensions", "bomb", "over-2-mb"],
)
def test_what_is_not_a_usable_image_is_refused_next_to_the_field(
    workspace: Workspace, media_root: Path, content: bytes, name: str, error: str
) -> None:
    response = upload_logo(workspace, content, name=name)
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert 'id="id_logo_error"' in page
    assert logo_path(workspace.organization) == ""
    assert stored_files(media_root) == []


def test_a_new_logo_replaces_the_old_whose_file_is_deleted_on_commit(
    workspace: Workspace, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    upload_logo(workspace, image_bytes(color=(10, 10, 10)))
    first = logo_path(workspace.organization)
    [first_file] = stored_files(media_root)

    with django_capture_on_commit_callbacks(execute=True):
        upload_logo(workspace, image_bytes(color=(250, 250, 250)))
    second = logo_path(workspace.organization)
    assert second != first
    assert not first_file.exists()
    assert len(stored_files(media_root)) == 1
    # A preview made with the old address leads to the current logo.
    old = client_for(None).get(first)
    assert old.status_code == 302
    assert old["Location"] == second


def test_an_owner_removes_the_logo(
    workspace: Workspace, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    upload_logo(workspace, image_bytes())
    path = logo_path(workspace.organization)
    client = client_for(workspace.owner)
    assert 'name="remove_logo"' in client.get(settings_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            settings_url(), settings_data(workspace.organization, remove_logo="on")
        )
    assert response.status_code == 302
    assert logo_path(workspace.organization) == ""
    assert stored_files(media_root) == []
    assert client_for(None).get(path).status_code == 404
    page = client_for(None).get("/o/shahrzad/").content.decode()
    assert "organization-logo" not in page
    assert "og:image" not in page


def test_uploading_and_removing_at_once_is_refused(workspace: Workspace) -> None:
    upload_logo(workspace, image_bytes())
    data = settings_data(workspace.organization, logo=upload(image_bytes()), remove_logo="on")
    response = client_for(workspace.owner).post(settings_url(), data)
    assert response.status_code == 400
    assert "Either upload a new logo or remove it" in response.content.decode()


def test_a_change_that_fails_leaves_no_file_behind(workspace: Workspace, media_root: Path) -> None:
    # Another organization was once called "voices": the service refuses the slug after the
    # form passed it, when the new logo is already written.
    OrganizationSlugRedirect.objects.create(
        old_slug="voices", organization=workspace.other_organization
    )
    data = settings_data(workspace.organization, slug="voices", logo=upload(image_bytes()))
    response = client_for(workspace.owner).post(settings_url(), data)
    assert response.status_code == 400
    assert "This address is taken" in response.content.decode()
    assert logo_path(workspace.organization) == ""
    assert stored_files(media_root) == []


def test_an_organization_is_created_with_a_logo(media_root: Path) -> None:
    user = UserFactory(email="founder@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    founder = client_for(user)
    response = founder.post(
        CREATE,
        {
            "name": "Voices for Change",
            "slug": "voices",
            "contact_email": "hello@voices.example.org",
            "description": "",
            "time_zone": "UTC",
            "language": "en",
            "logo": upload(image_bytes()),
        },
    )
    assert response.status_code == 302
    organization = Organization.objects.get(slug="voices")
    assert organization.logo.name.startswith(f"organization-logos/{organization.pk}/")
    assert client_for(None).get(organization.get_logo_url()).status_code == 200


def test_a_link_given_before_uploads_stays_a_preview_until_a_logo_is_uploaded(
    workspace: Workspace,
) -> None:
    Organization.objects.filter(pk=workspace.organization.pk).update(
        logo_url="https://shahrzad.example.org/logo.png"
    )
    page = client_for(None).get("/o/shahrzad/").content.decode()
    assert '<meta property="og:image" content="https://shahrzad.example.org/logo.png">' in page
    # The page itself loads nothing from other hosts.
    assert 'src="https://shahrzad.example.org/logo.png"' not in page
    upload_logo(workspace, image_bytes())
    workspace.organization.refresh_from_db()
    assert workspace.organization.logo_url == ""
    assert "shahrzad.example.org" not in client_for(None).get("/o/shahrzad/").content.decode()


def test_a_logo_is_public_for_an_active_organization_only() -> None:
    """The logo route as the authorization matrix's visitors see it: one answer for all."""
    waiting = OrganizationFactory(slug="waiting", status=Organization.Status.PENDING)
    Organization.objects.filter(pk=waiting.pk).update(
        logo="organization-logos/0/0123456789abcdef01234567.png"
    )
    url = "/o/waiting/logo/0123456789abcdef01234567.png"
    assert Client().get(url).status_code == 404
    assert Client().get("/o/nobody/logo/0123456789abcdef01234567.png").status_code == 404
    assert Client().post(url).status_code == 405


def test_the_logo_route_answers_every_kind_of_visitor_alike(
    workspace: Workspace,
) -> None:
    upload_logo(workspace, image_bytes())
    path = logo_path(workspace.organization)
    cohost_member = MembershipFactory(user__email="cohost@example.org").user
    CoHost.objects.create(
        event=workspace.event,
        organization=cohost_member.memberships.get().organization,
        status=CoHost.Status.ACCEPTED,
    )
    visitors = {
        "anonymous": None,
        "attendee": UserFactory(email="attendee@example.org"),
        "unrelated member": workspace.other_member,
        "co-host member": cohost_member,
        "owner": workspace.owner,
    }
    for who, user in visitors.items():
        assert client_for(user).get(path).status_code == 200, who
    Organization.objects.filter(pk=workspace.organization.pk).update(
        status=Organization.Status.DECLINED
    )
    for who, user in visitors.items():
        assert client_for(user).get(path).status_code == 404, who
