"""Product photos: upload through the service, thumbnails served by a permission-checked view, delete."""

import io
import os

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from ocop.products.models import ProductPhoto
from ocop.products.services import add_product_photo
from tests.factories.products import ProductFactory
from tests.products.views.integration.helpers import change_cases, image_bytes, view_cases
from tests.utils import assert_permission_matrix, close_streamed, make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _vi(message: str, **params) -> str:
    with translation.override("vi"):
        text = gettext(message)
    return text % params if params else text


def _stored_files(product) -> list[str]:
    """Files under the product's photo folder (the test media root outlives rolled-back rows)."""
    folder = f"products/{product.pk}/photos"
    if not default_storage.exists(folder):
        return []
    return sorted(default_storage.listdir(folder)[1])


@pytest.fixture
def photo(product):
    upload = SimpleUploadedFile("ga.png", image_bytes("PNG", (640, 480)), content_type="image/png")
    return add_product_photo(product, upload=upload, caption="Gà đóng gói")


@pytest.fixture
def officer_client(client, units):
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    return client


# ---------------------------------------------------------------------------------------------
# Permission matrices
# ---------------------------------------------------------------------------------------------
def test_photos_tab_permission_matrix(units, product):
    assert_permission_matrix(reverse("products:product_photos", args=[product.pk]), view_cases(units, product))


def test_photo_upload_permission_matrix(units, product):
    # An empty upload re-renders the form (200) for those who may change the product.
    assert_permission_matrix(
        reverse("products:product_photos", args=[product.pk]), change_cases(units, product), method="post"
    )
    assert not ProductPhoto.objects.exists()


@pytest.mark.parametrize("variant", ["image", "thumbnail"])
def test_photo_file_permission_matrix(units, product, photo, variant):
    url = reverse(f"products:product_photo_{variant}", args=[product.pk, photo.pk])
    assert_permission_matrix(url, view_cases(units, product))


def test_photo_delete_permission_matrix(units, product, photo):
    url = reverse("products:product_photo_delete", args=[product.pk, photo.pk])
    assert_permission_matrix(url, change_cases(units, product))


def test_photo_of_another_product_is_not_found(officer_client, producer, photo):
    other = ProductFactory(producer=producer, name="Sản phẩm khác")
    url = reverse("products:product_photo_image", args=[other.pk, photo.pk])
    assert officer_client.get(url).status_code == 404


# ---------------------------------------------------------------------------------------------
# Upload
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("image_format", "filename", "content_type"),
    [("PNG", "vai-thieu.png", "image/png"), ("JPEG", "vai-thieu.jpg", "image/jpeg")],
)
def test_upload_a_small_image_makes_a_thumbnail(officer_client, product, image_format, filename, content_type):
    upload = SimpleUploadedFile(filename, image_bytes(image_format, (1200, 900)), content_type=content_type)
    url = reverse("products:product_photos", args=[product.pk])

    response = officer_client.post(url, {"image": upload, "caption": "Vải thiều  loại 1"})

    assert response.status_code == 302
    assert response["Location"] == url
    photo = ProductPhoto.objects.get(product=product)
    assert (photo.caption, photo.width, photo.height) == ("Vải thiều loại 1", 1200, 900)

    thumbnail = officer_client.get(reverse("products:product_photo_thumbnail", args=[product.pk, photo.pk]))
    assert thumbnail["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(thumbnail.streaming_content))) as image:
        assert (image.format, image.size) == ("JPEG", (480, 360))
    close_streamed(thumbnail)

    full = officer_client.get(reverse("products:product_photo_image", args=[product.pk, photo.pk]))
    assert full["Content-Type"] == content_type
    with Image.open(io.BytesIO(b"".join(full.streaming_content))) as image:
        assert (image.format, image.size) == (image_format, (1200, 900))
    close_streamed(full)


def test_photo_grid_links_thumbnail_and_full_image(officer_client, product, photo):
    content = officer_client.get(reverse("products:product_photos", args=[product.pk])).content.decode()
    assert f'href="/products/{product.pk}/photos/{photo.pk}/image/"' in content
    assert f'src="/products/{product.pk}/photos/{photo.pk}/thumbnail/"' in content
    assert 'alt="Gà đóng gói"' in content
    assert f'href="/products/{product.pk}/photos/{photo.pk}/delete/"' in content


def test_photo_grid_hides_upload_and_delete_from_viewers(client, units, product, photo):
    client.force_login(make_user_with_role("ministry-office", units.country))
    content = client.get(reverse("products:product_photos", args=[product.pk])).content.decode()
    assert f'src="/products/{product.pk}/photos/{photo.pk}/thumbnail/"' in content
    assert 'data-testid="photo-form"' not in content
    assert 'data-testid="delete-photo"' not in content


@override_settings(OCOP_MAX_IMAGE_MB=1)
def test_upload_over_the_limit_gets_a_clear_message_and_stores_nothing(officer_client, product):
    before = _stored_files(product)
    big = SimpleUploadedFile("to.jpg", b"\xff\xd8\xff" + os.urandom(1536 * 1024), content_type="image/jpeg")

    response = officer_client.post(reverse("products:product_photos", args=[product.pk]), {"image": big})

    assert response.status_code == 200
    expected = _vi("The image is %(size)s; the limit is %(limit)s.", size="1,5\xa0MB", limit="1,0\xa0MB")
    assert response.context["form"].errors == {"image": [expected]}
    assert expected in response.content.decode()
    assert not ProductPhoto.objects.exists()
    assert _stored_files(product) == before


def test_upload_of_a_non_image_shows_the_service_message_and_stores_nothing(officer_client, product):
    before = _stored_files(product)
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.7 not an image at all", content_type="image/jpeg")

    response = officer_client.post(reverse("products:product_photos", args=[product.pk]), {"image": fake})

    expected = _vi("The file is not a readable image (JPEG, PNG or WebP).")
    assert response.context["form"].errors == {"image": [expected]}
    assert expected in response.content.decode()
    assert not ProductPhoto.objects.exists()
    assert _stored_files(product) == before


def test_upload_of_another_image_format_is_refused(officer_client, product):
    gif = SimpleUploadedFile("anh.gif", image_bytes("GIF", (50, 50)), content_type="image/gif")
    response = officer_client.post(reverse("products:product_photos", args=[product.pk]), {"image": gif})
    expected = _vi("Images must be JPEG, PNG or WebP, not %(format)s.", format="GIF")
    assert response.context["form"].errors == {"image": [expected]}
    assert not ProductPhoto.objects.exists()


# ---------------------------------------------------------------------------------------------
# Delete
# ---------------------------------------------------------------------------------------------
def test_delete_asks_for_confirmation_then_removes_the_photo_and_files(
    officer_client, product, photo, django_capture_on_commit_callbacks
):
    url = reverse("products:product_photo_delete", args=[product.pk, photo.pk])
    confirm = officer_client.get(url)
    assert 'data-testid="confirm-delete"' in confirm.content.decode()
    assert ProductPhoto.objects.filter(pk=photo.pk).exists()
    names = [photo.image.name, photo.thumbnail.name]
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(url)

    assert response["Location"] == reverse("products:product_photos", args=[product.pk])
    assert not ProductPhoto.objects.filter(pk=photo.pk).exists()
    assert not any(default_storage.exists(name) for name in names)
