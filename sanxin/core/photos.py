"""Uploaded photos (security.md item 18), for every app that takes them: at most MAX_PHOTO_BYTES, the type read
from the content (never the name or the browser's word), decoded and re-encoded with Pillow as JPEG so that no
EXIF (GPS position, device, time) and nothing hidden after the image survives, the orientation applied first,
the long side brought down to MAX_SIDE; stored under DATA_DIR/<folder> with a random name. Serving is the app's
view, after its own scope check (photo_response)."""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404

from sanxin.core.uploads import upload_folder

try:
    from PIL import Image, ImageOps, UnidentifiedImageError
except ImportError:  # Pillow is in requirements.txt; without it every upload is refused in Chinese, nothing else breaks.
    Image = ImageOps = UnidentifiedImageError = None

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_SIDE = 4096
# Decoding more pixels than this is refused (a small file that inflates to gigabytes).
MAX_PIXELS = 50_000_000
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "BMP": "BMP"}
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.jpg$")


@dataclass(frozen=True)
class StoredPhoto:
    stored_name: str
    width: int
    height: int
    size: int


def reencode(data: bytes) -> tuple[bytes, int, int]:
    """The photo as a fresh JPEG without metadata, (bytes, width, height); a Chinese refusal for anything else."""
    if Image is None:
        raise ValidationError("服务器未安装图片处理组件（Pillow），暂不能上传照片，请联系系统管理员")
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(f"照片超过 {MAX_PHOTO_BYTES // (1024 * 1024)} MB，请压缩后再上传")
    if not data:
        raise ValidationError("照片文件为空")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if kind not in ACCEPTED_FORMATS:
                raise ValidationError(f"只支持 JPEG、PNG、WebP、GIF、BMP 格式的照片，此文件为 {kind or '未知格式'}")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError("照片像素过大，请缩小后再上传")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep what the camera meant, then drop the EXIF
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            clean = Image.new("RGB", image.size)  # a new image: no info, no EXIF, no ICC, nothing carried over
            clean.paste(image)
            out = io.BytesIO()
            clean.save(out, format="JPEG", quality=85, optimize=True)
            return out.getvalue(), clean.width, clean.height
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError("文件不是可识别的图片，请上传照片（JPEG、PNG 等）") from None


def store_photo(upload, folder: str) -> StoredPhoto:
    """Check and re-encode an uploaded photo and store it under a random name."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(f"照片超过 {MAX_PHOTO_BYTES // (1024 * 1024)} MB，请压缩后再上传")
    data, width, height = reencode(upload.read(MAX_PHOTO_BYTES + 1))
    stored = secrets.token_hex(16) + ".jpg"
    (upload_folder(folder) / stored).write_bytes(data)
    return StoredPhoto(stored_name=stored, width=width, height=height, size=len(data))


def photo_path(folder: str, stored_name: str) -> Path:
    if not STORED_NAME.fullmatch(stored_name):
        raise Http404
    return upload_folder(folder) / stored_name


def photo_response(folder: str, stored_name: str) -> FileResponse:
    """The stored photo, for a view that has checked the scope; never cached by shared caches, never sniffed."""
    path = photo_path(folder, stored_name)
    if not path.exists():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response
