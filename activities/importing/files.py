"""Step 1 of the import: the file itself, before any spreadsheet code reads it.

Size, that it is a real .xlsx (a zip with a workbook) and not an old .xls or a password-protected
file, and that the zip is not a bomb (entry count and total uncompressed size, read from the zip's
own directory BEFORE openpyxl inflates anything).
"""
from __future__ import annotations

import io
import zipfile

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# A real .xlsx has a dozen entries and a few MB of XML even for 20,000 rows.
MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
XLSX_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and password-protected .xlsx


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why, in Chinese."""


MACRO_CONTENT_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled"
MAX_CONTENT_TYPES_BYTES = 1 << 20


def _content_types(archive: zipfile.ZipFile) -> bytes:
    """The workbook's [Content_Types].xml (at most 1 MB of it): a macro-enabled workbook names itself there."""
    with archive.open("[Content_Types].xml") as part:
        return part.read(MAX_CONTENT_TYPES_BYTES)


def check_size(upload) -> None:
    """Refuse an empty file or one over MAX_UPLOAD_BYTES (a .xlsx, or a CSV of another import)."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise ImportRefused("上传的文件是空的(0 字节)。请选择填好的 .xlsx 表格。")
    if size > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            f"文件太大({size / 1024 / 1024:.1f} MB),一次最多上传 {MAX_UPLOAD_BYTES // 1024 // 1024} MB。"
            f"请删去空行、图片,或把表格分成几份上传。"
        )
    upload.seek(0)


def check_upload(upload) -> None:
    """Refuse what is not a small, genuine .xlsx before any spreadsheet code reads it."""
    check_size(upload)
    head = upload.read(8)
    upload.seek(0)
    name = (getattr(upload, "name", "") or "").lower()
    if head.startswith(OLE2_SIGNATURE):
        raise ImportRefused(
            "这是旧版 Excel(.xls)文件或设置了打开密码的表格。请在 Excel 中“另存为”Excel 工作簿(.xlsx)、取消密码后再上传。"
        )
    if not head.startswith(XLSX_SIGNATURE):
        hint = "(CSV 文件请在 Excel 中另存为 .xlsx)" if name.endswith(".csv") else ""
        raise ImportRefused(f"文件不是 Excel 工作簿(.xlsx){hint}。请下载模板填写后上传。")
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise ImportRefused(f"文件结构异常(包含 {len(entries)} 个部件),不是正常的 Excel 表格,已拒绝。")
            total = sum(max(entry.file_size, 0) for entry in entries)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise ImportRefused(
                    f"文件解压后过大(约 {total / 1024 / 1024:.0f} MB,上限 {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB),"
                    "可能是异常文件,已拒绝。"
                )
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise ImportRefused("文件不是 Excel 工作簿(.xlsx)。请下载模板填写后上传。")
            # Macros (.xlsm, or one renamed .xlsx) and links to other workbooks are never accepted or kept.
            if any(n.lower().endswith("vbaproject.bin") for n in names) or MACRO_CONTENT_TYPE in _content_types(archive):
                raise ImportRefused("文件中含有宏(启用宏的工作簿 .xlsm),不能导入。请在 Excel 中“另存为”普通的 Excel 工作簿"
                                    "(.xlsx)后上传。")
            if any(n.startswith("xl/externalLinks/") for n in names):
                raise ImportRefused("文件中含有指向其他工作簿的外部链接,不能导入。请复制后“粘贴为数值”,另存为 .xlsx 后上传。")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportRefused("文件已损坏,无法读取。请在 Excel 中重新保存为 .xlsx 后上传。") from exc
    finally:
        upload.seek(0)
