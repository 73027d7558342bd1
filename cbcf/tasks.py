from celery import shared_task

from cbcf import briefing, services
from cbcf.models import BriefingBook


@shared_task(acks_late=True)
def build_briefing_book_task(book_id):
    """Build one briefing book (a book already built is left as it is)."""
    book = BriefingBook.objects.select_related("meeting", "built_by").filter(pk=book_id).first()
    if book is not None and book.status == BriefingBook.Status.BUILDING:
        try:
            briefing.build(book)
        except Exception:
            BriefingBook.objects.filter(pk=book.pk, status=BriefingBook.Status.BUILDING).update(
                status=BriefingBook.Status.FAILED)
            raise


@shared_task
def actions_due_task():
    """Celery beat, daily: reminders before and after the action items' due dates."""
    return services.actions_daily()


@shared_task(acks_late=True)
def agenda_notice_task(meeting_id, version, state, sequence):
    """Tell a meeting's participants that its agenda was circulated or made final (idempotent)."""
    return services.agenda_notice(meeting_id=meeting_id, version=version, state=state, sequence=sequence)
