"""Uploaded pictures (profile photos, group covers): checked, turned upright, cropped, re-encoded.

Only the re-encoded JPEG is kept: the original may carry EXIF data (places, devices) or be a crafted file.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from courtyard.core.errors import ApplicationError

FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000


def image_to_jpeg(upload: UploadedFile, size: tuple[int, int]) -> bytes:
    """The upload cropped to ``size`` as a JPEG; a clear 4xx ApplicationError for anything else."""
    if upload.size is not None and upload.size > settings.PHOTO_MAX_BYTES:
        raise ApplicationError(
            _("The picture is larger than %(mb)d MB.") % {"mb": settings.PHOTO_MAX_BYTES // (1024 * 1024)},
            code="photo_too_large",
        )
    try:
        with Image.open(upload) as image:
            if image.format not in FORMATS:
                raise ApplicationError(_("Upload a JPEG, PNG, WebP or GIF image."), code="photo_format")
            if image.width * image.height > MAX_PIXELS:
                raise ApplicationError(_("The picture has too many pixels."), code="photo_too_large")
            upright = ImageOps.exif_transpose(image) or image
            cropped = ImageOps.fit(upright.convert("RGB"), size, method=Image.Resampling.LANCZOS)
            out = io.BytesIO()
            cropped.save(out, format="JPEG", quality=85, optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise ApplicationError(_("That file is not an image we can read."), code="photo_unreadable") from exc
