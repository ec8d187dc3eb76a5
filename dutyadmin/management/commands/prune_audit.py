"""Delete the audit events older than AUDIT_RETENTION_DAYS (the only path that deletes them)."""
from django.core.management.base import BaseCommand

from dutyadmin.audit import prune


class Command(BaseCommand):
    help = "删除超过保留期(AUDIT_RETENTION_DAYS)的审计日志。"

    def handle(self, *args, **options):
        deleted = prune()
        self.stdout.write(f"已删除 {deleted} 条超过保留期的审计日志。")
