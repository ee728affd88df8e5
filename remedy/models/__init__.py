"""The data model, one concept per module; importing this package registers every table."""

from remedy.models import personal_keys  # noqa: F401  (seals personal values on flush)
from remedy.models.added_information import AddedInformation
from remedy.models.api_token import ApiToken
from remedy.models.appeal import Appeal, AppealResult
from remedy.models.ask import Ask, AskKind
from remedy.models.attachment import Attachment
from remedy.models.audit_event import AuditChainHead, AuditEvent
from remedy.models.call import Call, CallRecording, RecordingPurpose, RecordingStatus
from remedy.models.check_in import Answer, CheckIn, CheckInPurpose, CheckInResponse
from remedy.models.conversation import Conversation
from remedy.models.data_key import DataKey
from remedy.models.erasure_request import ErasureRequest, ErasureStatus
from remedy.models.grievance import Category, Channel, Grievance, Outcome, ReprisalRisk
from remedy.models.grievance_person import GrievancePerson, PersonRole
from remedy.models.group_consultation import ConsultationMethod, GroupConsultation, GroupDecision
from remedy.models.identity_consent import ConsentAnswer, ConsentVia, IdentityConsent
from remedy.models.identity_reveal import IdentityReveal, RevealStatus
from remedy.models.inbound_message import InboundMedia, InboundMessage, MediaStatus
from remedy.models.incident import Incident, IncidentGrievance, RecurrenceAlert
from remedy.models.internal_note import InternalNote
from remedy.models.involvement_track import (
    InvolvementTrack,
    ProceedingKind,
    TrackClassification,
    TrackKind,
)
from remedy.models.lesson import Lesson, LessonGrievance, LessonRootCause, LessonStatus
from remedy.models.leverage_action import LeverageAction, LeverageStatus, LeverageType
from remedy.models.mandate import ConsentMethod, Mandate
from remedy.models.mechanism_feedback import FeedbackVia, MechanismFeedback
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.outbox_message import MessageChannel, MessageStatus, OutboxMessage
from remedy.models.people_text import PeopleText, TextField, TextSubject
from remedy.models.person import Person
from remedy.models.pin_lockout import PinLockout
from remedy.models.pin_reset import PinReset
from remedy.models.prepared_pin import PreparedPin
from remedy.models.queue import PlaceTerm
from remedy.models.rate_limit import RateLimitCounter
from remedy.models.recovery_code import RecoveryCode
from remedy.models.referral import (
    MechanismKind,
    Referral,
    ReferralMechanism,
    ReferralUpdate,
    ReferralUpdateKind,
)
from remedy.models.remedy_action import ActionOwner, ActionStatus, RemedyAction, RemedyType
from remedy.models.reprisal_incident import ReprisalIncident
from remedy.models.root_cause import GrievanceRootCause, RootCause, RootCauseConfirmation
from remedy.models.staff_session import StaffSession
from remedy.models.state_actor import StateActor, StateActorKind
from remedy.models.statistics_snapshot import StatisticsSnapshot
from remedy.models.user import Role, User
from remedy.models.web_draft import WebDraft
from remedy.models.webhook import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from remedy.models.whatsapp_window import WhatsAppWindow
from remedy.models.worker_heartbeat import WorkerHeartbeat
from remedy.models.worker_timer import WorkerTimer

__all__ = [
    "ActionOwner",
    "ActionStatus",
    "AddedInformation",
    "Answer",
    "ApiToken",
    "Appeal",
    "AppealResult",
    "Ask",
    "AskKind",
    "Attachment",
    "AuditChainHead",
    "AuditEvent",
    "Call",
    "CallRecording",
    "Category",
    "Channel",
    "CheckIn",
    "CheckInPurpose",
    "CheckInResponse",
    "ConsentAnswer",
    "ConsentMethod",
    "ConsentVia",
    "ConsultationMethod",
    "Conversation",
    "DataKey",
    "DeliveryStatus",
    "ErasureRequest",
    "ErasureStatus",
    "FeedbackVia",
    "Grievance",
    "GrievancePerson",
    "GrievanceRootCause",
    "GroupConsultation",
    "GroupDecision",
    "IdentityConsent",
    "IdentityReveal",
    "InboundMedia",
    "InboundMessage",
    "Incident",
    "IncidentGrievance",
    "InternalNote",
    "InvolvementTrack",
    "Lesson",
    "LessonGrievance",
    "LessonRootCause",
    "LessonStatus",
    "LeverageAction",
    "LeverageStatus",
    "LeverageType",
    "Mandate",
    "MechanismFeedback",
    "MechanismKind",
    "MediaStatus",
    "MessageChannel",
    "MessageStatus",
    "Organisation",
    "OrganisationKind",
    "OutboxMessage",
    "Outcome",
    "PeopleText",
    "Person",
    "PersonRole",
    "PinLockout",
    "PinReset",
    "PlaceTerm",
    "PreparedPin",
    "ProceedingKind",
    "RateLimitCounter",
    "RecordingPurpose",
    "RecordingStatus",
    "RecoveryCode",
    "RecurrenceAlert",
    "Referral",
    "ReferralMechanism",
    "ReferralUpdate",
    "ReferralUpdateKind",
    "RemedyAction",
    "RemedyType",
    "ReprisalIncident",
    "ReprisalRisk",
    "RevealStatus",
    "Role",
    "RootCause",
    "RootCauseConfirmation",
    "StaffSession",
    "StateActor",
    "StateActorKind",
    "StatisticsSnapshot",
    "TextField",
    "TextSubject",
    "TrackClassification",
    "TrackKind",
    "User",
    "WebDraft",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
    "WhatsAppWindow",
    "WorkerHeartbeat",
    "WorkerTimer",
]
