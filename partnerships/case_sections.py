"""Partnership apps add sections to the case page (their records linked to the case) without the core
knowing them. A section is a callable (case, user) -> {"template": ..., **context} or None; it must
only show what the user may see."""

_sections = []


def register(section):
    if section not in _sections:
        _sections.append(section)


def for_case(*, case, user):
    return [shown for shown in (section(case=case, user=user) for section in _sections) if shown]
