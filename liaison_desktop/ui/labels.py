"""Translated interface labels for the domain's enums (the domain itself stays Qt-free)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTime

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.badge import ConsentBadge

# Each function builds its table at call time so that a language switch takes effect at
# once. The calls are spelled out as QCoreApplication.translate("Labels", "...") because
# that literal form is what pyside6-lupdate collects (an alias would be missed).


def request_category_labels() -> dict[dm.RequestCategory, str]:
    R = dm.RequestCategory
    return {
        R.SLEEP: QCoreApplication.translate("Labels", "Slapen"),
        R.BEHAVIOUR: QCoreApplication.translate("Labels", "Gedrag"),
        R.ANXIETY_MOOD: QCoreApplication.translate("Labels", "Angst en stemming"),
        R.PARENTING: QCoreApplication.translate("Labels", "Opvoeding"),
        R.SUBSTANCE_USE: QCoreApplication.translate("Labels", "Middelengebruik"),
        R.SCHOOL: QCoreApplication.translate("Labels", "School"),
        R.OTHER: QCoreApplication.translate("Labels", "Anders"),
    }


def status_labels() -> dict[dm.TrajectoryStatus, str]:
    S = dm.TrajectoryStatus
    return {
        S.REFERRED: QCoreApplication.translate("Labels", "Aangemeld"),
        S.ACTIVE: QCoreApplication.translate("Labels", "Actief"),
        S.ON_HOLD: QCoreApplication.translate("Labels", "Gepauzeerd"),
        S.CLOSED: QCoreApplication.translate("Labels", "Afgesloten"),
    }


def outcome_labels() -> dict[dm.Outcome, str]:
    O = dm.Outcome  # noqa: E741
    return {
        O.CLOSED_NO_FOLLOW_UP: QCoreApplication.translate("Labels", "Afgerond, geen vervolg nodig"),
        O.NEIGHBOURHOOD_TEAM: QCoreApplication.translate(
            "Labels", "Doorverwezen naar het basisteam"
        ),
        O.ADVISED_SPECIALISED_CARE: QCoreApplication.translate(
            "Labels", "Huisarts geadviseerd door te verwijzen naar gespecialiseerde jeugdhulp"
        ),
        O.REFERRED_ELSEWHERE: QCoreApplication.translate("Labels", "Elders naartoe verwezen"),
        O.DROPPED_OUT: QCoreApplication.translate("Labels", "Voortijdig gestopt"),
    }


def scope_labels() -> dict[dm.ConsentScope, str]:
    S = dm.ConsentScope
    return {
        S.NEIGHBOURHOOD_TEAM: QCoreApplication.translate("Labels", "Bespreken in het basisteam"),
        S.SHARE_WITH_GP: QCoreApplication.translate("Labels", "Terugkoppelen aan de huisarts"),
        S.CONTACT_SCHOOL: QCoreApplication.translate("Labels", "Contact met school"),
        S.EXPORT: QCoreApplication.translate("Labels", "Gegevens meegeven aan een derde"),
    }


def method_labels() -> dict[dm.ConsentMethod, str]:
    M = dm.ConsentMethod
    return {
        M.SPOKEN: QCoreApplication.translate("Labels", "Mondeling"),
        M.WRITTEN: QCoreApplication.translate("Labels", "Schriftelijk"),
    }


def contact_type_labels() -> dict[dm.ContactType, str]:
    T = dm.ContactType
    return {
        T.CONVERSATION_CHILD: QCoreApplication.translate("Labels", "Gesprek met de jeugdige"),
        T.CONVERSATION_PARENTS: QCoreApplication.translate("Labels", "Gesprek met de ouders"),
        T.CONVERSATION_FAMILY: QCoreApplication.translate("Labels", "Gesprek met het gezin"),
        T.PHONE: QCoreApplication.translate("Labels", "Telefonisch contact"),
        T.GP_CONSULTATION: QCoreApplication.translate("Labels", "Overleg met de huisarts"),
        T.TEAM_MEETING: QCoreApplication.translate("Labels", "Overleg in het basisteam"),
        T.OTHER_PROFESSIONAL: QCoreApplication.translate(
            "Labels", "Overleg met een andere professional"
        ),
    }


def participant_labels() -> dict[dm.Participant, str]:
    P = dm.Participant
    return {
        P.CHILD: QCoreApplication.translate("Labels", "Jeugdige"),
        P.PARENT: QCoreApplication.translate("Labels", "Ouder(s)"),
        P.GP: QCoreApplication.translate("Labels", "Huisarts"),
        P.NEIGHBOURHOOD_TEAM: QCoreApplication.translate("Labels", "Basisteam"),
        P.SCHOOL: QCoreApplication.translate("Labels", "School"),
        P.OTHER: QCoreApplication.translate("Labels", "Anders"),
    }


def appointment_kind_labels() -> dict[dm.AppointmentKind, str]:
    K = dm.AppointmentKind
    return {
        K.CONVERSATION: QCoreApplication.translate("Labels", "Gesprek"),
        K.GP_CONSULTATION: QCoreApplication.translate("Labels", "Overleg met de huisarts"),
        K.TEAM_MEETING: QCoreApplication.translate("Labels", "Basisteam"),
        K.TRAVEL: QCoreApplication.translate("Labels", "Reistijd"),
        K.ADMIN: QCoreApplication.translate("Labels", "Administratie"),
    }


def access_action_labels() -> dict[str, str]:
    A = dm.AccessAction
    return {
        A.OPEN: QCoreApplication.translate("Labels", "Geopend"),
        A.CREATE: QCoreApplication.translate("Labels", "Aangemaakt"),
        A.UPDATE: QCoreApplication.translate("Labels", "Gewijzigd"),
        A.DELETE: QCoreApplication.translate("Labels", "Verwijderd"),
        A.EXPORT: QCoreApplication.translate("Labels", "Geëxporteerd"),
        A.DESTROY: QCoreApplication.translate("Labels", "Vernietigd"),
    }


def object_type_labels() -> dict[str, str]:
    return {
        "client": QCoreApplication.translate("Labels", "Dossier"),
        "guardian": QCoreApplication.translate("Labels", "Ouder"),
        "trajectory": QCoreApplication.translate("Labels", "Traject"),
        "consent": QCoreApplication.translate("Labels", "Toestemming"),
        "contact": QCoreApplication.translate("Labels", "Contact"),
        "appointment": QCoreApplication.translate("Labels", "Afspraak"),
    }


def badge_labels() -> dict[ConsentBadge, str]:
    B = ConsentBadge
    return {
        B.VALID: QCoreApplication.translate("Labels", "geldig"),
        B.MISSING: QCoreApplication.translate("Labels", "ontbreekt"),
        B.WITHDRAWN: QCoreApplication.translate("Labels", "ingetrokken"),
        B.RENEW_SOON: QCoreApplication.translate("Labels", "binnenkort opnieuw vragen"),
    }


def badge_tooltips() -> dict[ConsentBadge, str]:
    B = ConsentBadge
    return {
        B.VALID: QCoreApplication.translate("Labels", "Er is geldige toestemming vastgelegd."),
        B.MISSING: QCoreApplication.translate(
            "Labels",
            "Er is nog geen toestemming vastgelegd. Zonder toestemming kan de jeugdige niet "
            "in het basisteam worden besproken en gaan er geen gegevens naar derden.",
        ),
        B.WITHDRAWN: QCoreApplication.translate(
            "Labels",
            "Een toestemming is ingetrokken. Dat geldt direct: deel voor die afspraak niets "
            "meer tot er opnieuw toestemming is.",
        ),
        B.RENEW_SOON: QCoreApplication.translate(
            "Labels",
            "De jeugdige wordt binnenkort 12 of 16 (of is dat net geworden). Vanaf dan moet "
            "de toestemming opnieuw worden gevraagd, omdat er dan iemand anders beslist.",
        ),
    }


# -- dates and times ------------------------------------------------------------------------


def format_date(day: date | None) -> str:
    """A date in the interface language's short form, '' for None."""
    if day is None:
        return ""
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)


def format_datetime(moment: datetime | None) -> str:
    """A date and time in the interface language's short form, '' for None."""
    if moment is None:
        return ""
    qdt = QDateTime(QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute))
    return QLocale().toString(qdt, QLocale.FormatType.ShortFormat)


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(qd: QDate) -> date:
    return date(qd.year(), qd.month(), qd.day())
