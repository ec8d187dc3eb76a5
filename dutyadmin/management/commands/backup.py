"""manage.py backup [--output DIR] [--archive]: the database, the media files and a manifest (dutyadmin/backup.py)."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dutyadmin.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL 用 pg_dump，SQLite 用 sqlite3 备份接口）、媒体文件和清单 manifest.json。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "backups"),
                            help="备份存放的目录（默认：项目下的 backups/）；每次备份在其中新建一个带时间的子目录。")
        parser.add_argument("--archive", action="store_true", help="打包为一个 .tar.gz 文件，而不是目录。")

    def handle(self, *args, output: str, archive: bool = False, **options) -> None:
        try:
            path = backup_create(output=Path(output), archive=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"备份完成：{path}"))
        self.stdout.write(f"恢复：python manage.py restore {path}")
