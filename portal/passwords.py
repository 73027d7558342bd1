from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    """Long passphrases are welcome (ASVS 6.2.9 asks for at least 64 characters); a megabyte is not."""

    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext("This password is too long: at most %(max_length)d character.",
                         "This password is too long: at most %(max_length)d characters.", self.max_length)
                % {"max_length": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self):
        return _("Your password can be up to %(max_length)d characters long.") % {"max_length": self.max_length}


class GuessablePasswordValidator:
    """Refuse passwords that are quick to guess though long enough: repeated characters (`aaaaaaaaaaaa`),
    alphabetical or numerical sequences (`123456789012`), keyboard rows (`qwertyuiopas`), and the 30,000
    passwords seen most often in breaches that zxcvbn ships (on top of Django's 20,000, CommonPasswordValidator).

    zxcvbn (Dropbox's estimator, a maintained Python port) scores a password by the cheapest way to guess it; a
    score under `min_score` (3: fewer than 10^8 guesses) is refused with the reason that makes it guessable.
    """

    # zxcvbn slows down with length and refuses more than this; MaximumLengthValidator refuses longer ones.
    LONGEST_CHECKED = 128

    def __init__(self, min_score=3):
        self.min_score = min_score

    def validate(self, password, user=None):
        from zxcvbn import zxcvbn

        if not password or len(password) > self.LONGEST_CHECKED:
            return
        user_inputs = [value for value in (getattr(user, "username", ""), getattr(user, "first_name", ""),
                                           getattr(user, "last_name", ""), getattr(user, "email", "")) if value]
        result = zxcvbn(password, user_inputs=user_inputs, max_length=self.LONGEST_CHECKED)
        error = self._error(password, result["sequence"]) if result["score"] < self.min_score else None
        if error is not None:
            raise error

    def _error(self, password, matches):
        kind = _weakest_pattern(password, matches)
        if kind == "repeat":
            return ValidationError(_("This password repeats the same characters, like “aaaa” or “abcabc”."),
                                   code="password_repeated")
        if kind == "sequence":
            return ValidationError(_("This password is an alphabetical or numerical sequence, like “abcd” or "
                                     "“1234”."), code="password_sequence")
        if kind == "spatial":
            return ValidationError(_("This password follows a row of the keyboard, like “qwerty” or “asdf”."),
                                   code="password_keyboard")
        if any(match.get("dictionary_name") == "passwords" for match in matches):
            if _in_djangos_list(password):
                return None  # CommonPasswordValidator says so already, in the same words
            return ValidationError(_("This password is too common."), code="password_too_common")
        return ValidationError(_("This password is too easy to guess. Add a few uncommon words."),
                               code="password_guessable")

    def get_help_text(self):
        return _("Your password can’t be repeated characters, a sequence, a keyboard row or a common password.")


def _in_djangos_list(password):
    from django.contrib.auth.password_validation import CommonPasswordValidator

    try:
        CommonPasswordValidator().validate(password)
    except ValidationError:
        return True
    return False


def _weakest_pattern(password, matches):
    """What makes the password guessable: a repeat, a sequence or a keyboard row in zxcvbn's cheapest reading of
    it, else one of them covering at least half of it (`qwertyuiop` is also a common password), else None."""
    from zxcvbn import matching

    patterns = ("repeat", "sequence", "spatial")
    found = [m for m in matches if m["pattern"] in patterns]
    if not found:
        found = [m for m in matching.repeat_match(password) + matching.sequence_match(password)
                 + matching.spatial_match(password) if len(m["token"]) * 2 >= len(password)]
    if not found:
        return None
    return max(found, key=lambda m: (len(m["token"]), -patterns.index(m["pattern"])))["pattern"]
