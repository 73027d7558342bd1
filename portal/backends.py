from django.contrib.auth.backends import ModelBackend

from portal.accounts import is_locked


class LockoutModelBackend(ModelBackend):
    """Django's username and password check, refusing a locked account exactly as a wrong password.

    The password is checked first so that a locked account answers in the same time as any other.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and is_locked(user):
            return None
        return user
