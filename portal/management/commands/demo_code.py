"""Print the current second-factor code of a demo account, for trying the portal without a phone."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships import demo


class Command(BaseCommand):
    help = ("Print the authenticator code of a demo account (DEBUG only). Sign in first: the code is for the "
            "authenticator being set up, or the one already set up.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("DEBUG is off: second-factor codes come from the officer's own authenticator app.")
        demo_names = {name for name, _acronym, _description in demo.ACCOUNTS} | {"portal.admin"}
        if username not in demo_names:
            raise CommandError(f"{username} is not a demo account ({', '.join(sorted(demo_names))}).")
        user = get_user_model().objects.filter(username=username).first()
        device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-id").first() if user else None
        if device is None:
            raise CommandError(f"{username} has no authenticator yet: sign in with the password first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = time.time()
        totp.time = now
        current = f"{totp.token():0{device.digits}d}"
        totp.time = now + device.step
        following = f"{totp.token():0{device.digits}d}"
        left = device.step - int(now - device.t0) % device.step
        self.stdout.write(f"{username}: {current} (valid {left} s more; next code {following}). "
                          "Each code works once.")
