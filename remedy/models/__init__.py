"""The data model, one concept per module; importing this package registers every table."""

from remedy.models.attachment import Attachment
from remedy.models.audit_event import AuditChainHead, AuditEvent
from remedy.models.grievance import Category, Channel, Grievance, Outcome, ReprisalRisk
from remedy.models.grievance_person import GrievancePerson, PersonRole
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.person import Person
from remedy.models.user import Role, User

__all__ = [
    "Attachment",
    "AuditChainHead",
    "AuditEvent",
    "Category",
    "Channel",
    "Grievance",
    "GrievancePerson",
    "Organisation",
    "OrganisationKind",
    "Outcome",
    "Person",
    "PersonRole",
    "ReprisalRisk",
    "Role",
    "User",
]
