from core.models.accounts import Organisation, Person, User
from core.models.audit import AuditLog
from core.models.calendar import CalendarDay, CalendarYear
from core.models.deliveries import Delivery, PaperDelivery
from core.models.files import StoredFile
from core.models.health import Heartbeat
from core.models.jobs import Job
from core.models.notifications import Notification
from core.models.numbering import DocumentNumber
from core.models.outbox import OutboundEmail
from core.models.reminders import Reminder

__all__ = [
    "AuditLog",
    "CalendarDay",
    "CalendarYear",
    "Delivery",
    "DocumentNumber",
    "Heartbeat",
    "Job",
    "Notification",
    "Organisation",
    "OutboundEmail",
    "PaperDelivery",
    "Person",
    "Reminder",
    "StoredFile",
    "User",
]
