"""The one check of a leave certificate upload, shared by the API field and the browser form."""
from __future__ import annotations

from django.core.exceptions import ValidationError

CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024
# What a certificate's first bytes must be, by extension: a renamed file is refused.
CERTIFICATE_SIGNATURES = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CERTIFICATE_MESSAGES = {
    "too_large": "单位请假证明不能超过 10 MB。",
    "extension": "单位请假证明只能是 pdf、jpg 或 png 文件。",
    "content": "文件内容与扩展名不符,请上传真实的 pdf、jpg 或 png 文件。",
}


def validate_certificate(upload) -> None:
    """Raise ValidationError (code too_large, extension or content) unless upload is a real pdf/jpg/png ≤ 10 MB."""
    if upload.size > CERTIFICATE_MAX_BYTES:
        raise ValidationError(CERTIFICATE_MESSAGES["too_large"], code="too_large")
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in CERTIFICATE_SIGNATURES:
        raise ValidationError(CERTIFICATE_MESSAGES["extension"], code="extension")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(CERTIFICATE_SIGNATURES[extension]):
        raise ValidationError(CERTIFICATE_MESSAGES["content"], code="content")
