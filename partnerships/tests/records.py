"""What a request wrote to the audit trail, for the tests that check that each read or write is recorded once,
through its door (counted by the records added, whatever the trail keeps beside them)."""

from django.db.models import Max

from partnerships.models import AuditEvent


def written(request):
    """Run `request` (a callable, e.g. `lambda: client.get(url)`): its answer, and the audit records it wrote."""
    since = AuditEvent.objects.aggregate(newest=Max("pk"))["newest"] or 0
    answer = request()
    if answer.streaming:  # read to the end, as a browser downloading it would (the export records as it streams)
        answer.streaming_content = [b"".join(answer.streaming_content)]
    return answer, list(AuditEvent.objects.filter(pk__gt=since).order_by("pk"))
