"""Normalized matching keys of case subjects: the same person, plate or phone written differently
gives the same key (phone numbers in E.164, plates and hull numbers without spaces or case, names
folded for case and accents)."""

import re
import unicodedata

import phonenumbers


def fold_name(text):
    """'JEAN FRANÇOIS  Tremblay' and 'Jean-Francois Tremblay' -> 'jean francois tremblay'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.split(r"[^0-9a-z]+", plain)).strip()


def compact(text):
    """Plates, hull numbers, registrations, VINs: letters and digits only, upper case."""
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKD", text or "").upper())


def phone(text, region="US"):
    """E.164 ('+13135550142'), or None when it is not a possible phone number. North America is the default."""
    try:
        number = phonenumbers.parse(text or "", region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email(text):
    return (text or "").strip().casefold()


def keys_of(subject):
    """[(kind, key)] to store for a subject."""
    kind = subject.kind
    keys = []
    if kind in ("person", "organization", "vessel", "place"):
        names = [subject.name, *[alias for alias in (subject.aliases or "").split(",") if alias.strip()]]
        keys += [("name", fold_name(name)) for name in names if fold_name(name)]
    if kind in ("vessel", "vehicle") and subject.registration:
        keys.append(("registration", compact(subject.registration)))
    if kind == "vehicle":
        if subject.vin:
            keys.append(("vin", compact(subject.vin)))
        if not subject.registration and subject.name:
            keys.append(("registration", compact(subject.name)))
    if kind == "phone" and phone(subject.name):
        keys.append(("phone", phone(subject.name)))
    if kind == "email":
        keys.append(("email", email(subject.name)))
    return list(dict.fromkeys(key for key in keys if key[1]))
