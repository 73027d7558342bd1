from celery import shared_task
from django.db import InterfaceError, OperationalError

from partnerships import audit, services
from partnerships.models import CaseDocument, CaseRequest, SharingDecision

# The mail server or the database cannot be reached for a moment: try again later (the tasks are idempotent).
RETRY_ON = (OSError, OperationalError, InterfaceError)


@shared_task(autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def notify_sharing_decision_task(decision_id):
    decision = SharingDecision.objects.select_related("case__lead_agency").filter(pk=decision_id).first()
    if decision is not None:
        services.sharing_decision_notify(decision=decision)


@shared_task(autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def notify_request_task(request_id):
    request = CaseRequest.objects.select_related("case__lead_agency").filter(pk=request_id).first()
    if request is not None:
        services.request_notify(request=request)


@shared_task(autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def document_text_extract_task(document_id):
    """The text of a PDF or text file just attached, for the search (services.document_text_extract)."""
    document = CaseDocument.objects.filter(pk=document_id).first()
    if document is not None:
        services.document_text_extract(document=document)


@shared_task
def case_counts_fold_task():
    """Celery beat, every 10 minutes: the dashboard's counts stay a few rows each (access.fold_case_counts)."""
    return services.case_counts_fold()


@shared_task
def designations_daily_task():
    """Celery beat, daily: designation reminders and expiries."""
    return services.designations_daily()


@shared_task
def audit_checkpoint_task():
    """Celery beat, every minute: seal what is committed and write a signed checkpoint outside the database."""
    return audit.checkpoint()["position"]
