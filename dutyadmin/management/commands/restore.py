"""manage.py restore <DIR or archive> [--force]: a backup of manage.py backup, checked first (dutyadmin/backup.py)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dutyadmin.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("从 manage.py backup 的备份（目录或 .tar.gz）恢复数据库和媒体文件。先核对清单中每个文件的 SHA-256 和数据库类型；"
            "目标数据库不是空的时拒绝，除非加 --force。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", help="备份目录或 .tar.gz 文件")
        parser.add_argument("--force", action="store_true", help="目标数据库已有数据时仍然恢复（覆盖）。")

    def handle(self, *args, source: str, force: bool = False, **options) -> None:
        try:
            lines = backup_restore(source=Path(source), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("恢复完成。"))
