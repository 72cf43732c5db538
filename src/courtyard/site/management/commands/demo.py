"""`courtyard demo`: a complete, seeded Courtyard on SQLite, with the job worker beside the web server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from courtyard.accounts.models import User
from courtyard.people import services
from courtyard.people.models import Profile

DEMO_ADMIN_EMAIL = "admin@example.com"
DEMO_ADMIN_PASSWORD = "courtyard-admin-demo"  # noqa: S105 - printed for the local demo only
DEMO_MEMBER_PASSWORD = "courtyard-member-demo"  # noqa: S105


class Command(BaseCommand):
    help = "Migrate, seed a demo organization (once), create the admin account, and serve with the job worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--no-serve", action="store_true", help="Prepare everything, then exit.")
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args: Any, seed: int, no_serve: bool, host: str, port: int, **options: Any) -> None:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if Profile.objects.exists():
            self.stdout.write(f"Reusing the existing demo organization ({Profile.objects.count()} people).")
        else:
            call_command("seed", size="demo", seed=seed, password=DEMO_MEMBER_PASSWORD)
        self._ensure_admin()
        member = Profile.objects.filter(is_active=True, user__is_staff=False).select_related("user").first()
        self.stdout.write(self.style.SUCCESS("\nCourtyard demo is ready."))
        self.stdout.write(f"  Open     http://{host}:{port}/")
        self.stdout.write(f"  Admin    {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}")
        if member is not None:
            self.stdout.write(f"  Member   {member.user.email} / {DEMO_MEMBER_PASSWORD} (every seeded member has it)")
        self.stdout.write(f"  Data     {settings.DATABASES['default']['NAME']}\n")
        if no_serve:
            return
        self._serve(host, port)

    def _ensure_admin(self) -> None:
        user = User.objects.filter(email=DEMO_ADMIN_EMAIL).first()
        if user is None:
            services.profile_create(
                email=DEMO_ADMIN_EMAIL,
                full_name="Alex Admin",
                password=DEMO_ADMIN_PASSWORD,
                is_admin=True,
                title="Community manager",
                department=services.department_ensure_path("People"),
                timezone="Europe/Berlin",
                interests=["Community building", "Board games"],
                skills=["Facilitation"],
            )

    def _serve(self, host: str, port: int) -> None:
        courtyard = [sys.executable, "-m", "courtyard.cli"]
        worker = subprocess.Popen([*courtyard, "worker"])  # noqa: S603 - our own command
        try:
            web = subprocess.Popen([*courtyard, "serve", "--host", host, "--port", str(port)])  # noqa: S603
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in (locals().get("web"), worker):
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        process.kill()
