from django.contrib.auth import get_user_model
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

    def get_user(self, user_id):
        """The signed-in user of a request, with their officer and agency in the same query: every page reads them
        (the header, the access rules), which took two more queries a request."""
        user = get_user_model()._default_manager.select_related("officer__agency").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
