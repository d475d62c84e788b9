from typing import Any

from django.core.management.base import BaseCommand

from core.models import User
from demo.seed import account_rows, seed_demo


class Command(BaseCommand):
    help = "Load the 示范区 demo data (idempotent) and print the demo accounts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--if-empty", action="store_true", help="do nothing if any user exists already")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and User.objects.exists():
            self.stdout.write("数据库已有数据，跳过演示数据。")
        else:
            seed_demo()
            self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
        self.stdout.write("\n演示账号（仅供演示）：")
        for username, role, password in account_rows():
            self.stdout.write(f"  {username:<22} {role:<16} 密码 {password}")
