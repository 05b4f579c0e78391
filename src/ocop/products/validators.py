"""Validators of the products app (layer 0: no model imports at module level)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


def validate_category_for_basis(category, legal_basis) -> None:
    """A product set must exist under the chosen legal basis and accept products."""
    if category is None:
        return
    if category.legal_basis_id != legal_basis.pk:
        raise ValidationError(
            {
                "category": gettext("“%(category)s” is not a product set under %(basis)s.")
                % {"category": category.name, "basis": legal_basis}
            },
            code="wrong_basis",
        )
    if not category.is_assignable:
        raise ValidationError(
            {
                "category": gettext("“%(category)s” is a heading; choose a product set under it.")
                % {"category": category.name}
            },
            code="not_assignable",
        )


def validate_image_upload(upload) -> str:
    """Check size, real image content and format of an uploaded photo; returns the Pillow format.

    The size limit is ``OCOP_MAX_IMAGE_MB`` (settings); decompression bombs are refused by Pillow's
    ``MAX_IMAGE_PIXELS`` guard.
    """
    limit = settings.OCOP_MAX_IMAGE_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            gettext("The image is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            gettext("The file is not a readable image (JPEG, PNG or WebP)."), code="not_image"
        ) from exc
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            gettext("Images must be JPEG, PNG or WebP, not %(format)s.") % {"format": image_format}, code="format"
        )
    return image_format
