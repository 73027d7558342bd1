"""The IBET records a joint case holds, on the case page."""

from ibet import selectors


def ibet_records(*, case, user):
    linked = selectors.linked_to_case(user=user, case=case)
    if not any(records.exists() for records in linked.values()):
        return None
    return {"template": "ibet/case_section.html", **linked}
