"""Reads of team records, recorded: one audit record for each page or endpoint that shows them.

Case reads are recorded as `case.view` (naming the case) and `case.list` (naming the cases shown in `returned`).
Team records (patrols, occurrences, intelligence reports, joint operations, import jobs, deconfliction hits,
officers, rosters and cross-designations) are recorded here: a read names what kind of record and which one; a
list, calendar or feed names what kind and the query that chose them, and the joint cases it showed, if any.
"""

from partnerships import audit
from partnerships.models import AuditEvent

TEAM_VIEW = AuditEvent.Action.TEAM_VIEW
TEAM_LIST = AuditEvent.Action.TEAM_LIST


def team_record_read(*, user, door, object_type, object_ref, case=None, returned=(), **detail):
    """One team record shown; `case` is the joint case it is linked to and `returned` the joint cases it lists,
    when the page shows them too."""
    return audit.record(action=TEAM_VIEW, door=door, user=user, object_type=object_type, object_ref=object_ref,
                        case=case, returned=returned, **detail)


def team_list_read(*, user, door, object_type, query, returned=(), **detail):
    """A list of team records shown: what kind, the query (request.GET or the API's query parameters), and the
    joint cases it showed."""
    return audit.record(action=TEAM_LIST, door=door, user=user, object_type=object_type, query=query,
                        returned=returned, **detail)
