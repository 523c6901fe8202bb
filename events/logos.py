"""An organization's logo: an uploaded image, checked, re-encoded and named by its content.

docs/design.md, "Organizations". An upload is never stored as it came:

- **Only PNG, JPEG and WebP are opened** (``Image.open(..., formats=...)``), so a text file
  named ``.png``, an SVG (a document that can carry script) or any of Pillow's other
  decoders never gets to run.
- **Bombs are refused before decoding.** The header gives the size without decoding; an
  image of more than ``LOGO_MAX_PIXELS`` is refused, so a 2 MB file cannot ask for gigabytes.
- **Re-encoded**, fitted within ``LOGO_SIZE`` pixels and turned by its EXIF orientation, with
  no metadata kept (no camera, no place). PNG when it has transparency, JPEG otherwise, so a
  logo is a few dozen kilobytes whatever came in.
- **Named by a hash of what is stored**, so its address changes with its content and may be
  cached for a year (``events.views.organization_logo``).
"""

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

LOGO_MAX_BYTES = 2 * 1024 * 1024
# 5,000 by 5,000 pixels; a phone's photo is about 12 million pixels.
LOGO_MAX_PIXELS = 25_000_000
LOGO_SIZE = 512
LOGO_FORMATS = ("PNG", "JPEG", "WEBP")
LOGO_CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg"}
LOGO_FOLDER = "organization-logos"


class LogoRefused(Exception):
    """The upload cannot be a logo; the text is shown next to the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PreparedLogo:
    """A logo as it will be stored: re-encoded bytes and their file extension."""

    content: bytes
    extension: str
    width: int
    height: int

    @property
    def filename(self) -> str:
        digest = hashlib.sha256(self.content).hexdigest()[:24]
        return f"{digest}.{self.extension}"

    def storage_name(self, organization_id: int) -> str:
        return f"{LOGO_FOLDER}/{organization_id}/{self.filename}"


def _has_transparency(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )


def logo_prepare(upload: IO[bytes], *, size: int | None = None) -> PreparedLogo:
    """Check an uploaded image and re-encode it as a logo. Raises ``LogoRefused``.

    ``size`` is the upload's length in bytes when known (an ``UploadedFile``'s ``size``).
    """
    if size is not None and size > LOGO_MAX_BYTES:
        raise LogoRefused(_("The image is larger than 2 MB; save it smaller and try again."))
    data = upload.read(LOGO_MAX_BYTES + 1)
    if len(data) > LOGO_MAX_BYTES:
        raise LogoRefused(_("The image is larger than 2 MB; save it smaller and try again."))
    unreadable = _("Upload a PNG, JPEG or WebP image; this file is not one we can read.")
    too_many_pixels = _(
        "The image has too many pixels; a logo may have at most 25 million (5,000 by 5,000)."
    )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it; ours is far lower anyway.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=LOGO_FORMATS) as image:
                if image.width * image.height > LOGO_MAX_PIXELS:
                    raise LogoRefused(too_many_pixels)
                # JPEG can decode at a fraction of its size: cheaper for a big photo.
                image.draft("RGB", (LOGO_SIZE * 2, LOGO_SIZE * 2))
                image.load()
                upright = ImageOps.exif_transpose(image)
                transparent = _has_transparency(upright)
                logo = upright.convert("RGBA" if transparent else "RGB")
    except LogoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own check, in Image.open, for sizes far beyond ours.
        raise LogoRefused(too_many_pixels) from error
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise LogoRefused(unreadable) from error
    if transparent and logo.getchannel("A").getextrema() == (255, 255):
        # An alpha channel with nothing see-through in it: a JPEG is smaller.
        logo = logo.convert("RGB")
        transparent = False
    logo.thumbnail((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)
    # Nothing of the original's metadata goes out: no EXIF, ICC profile or text chunks.
    logo.info = {}
    output = io.BytesIO()
    if transparent:
        logo.save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        logo.save(output, format="JPEG", quality=88, optimize=True)
        extension = "jpg"
    return PreparedLogo(
        content=output.getvalue(), extension=extension, width=logo.width, height=logo.height
    )
