"""The five-conversation guideline: counting conversations and signalling the limit."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from liaison_desktop.domain.model import Contact, ContactType

MAX_CONVERSATIONS = 5

_COUNTING_TYPES = frozenset(
    {
        ContactType.CONVERSATION_CHILD,
        ContactType.CONVERSATION_PARENTS,
        ContactType.CONVERSATION_FAMILY,
    }
)


def counts_by_default(type: ContactType) -> bool:
    """Whether a new contact of this type counts toward the five by default.

    Conversations with the child, the parents or the family count; GP consultations, team
    meetings and contacts with other professionals do not; a phone call does not by default.
    """
    return type in _COUNTING_TYPES


def conversation_count(contacts: Iterable[Contact]) -> int:
    """The number of contacts marked ``counts_as_conversation``."""
    return sum(1 for c in contacts if c.counts_as_conversation)


class ConversationSignal(StrEnum):
    """Where a trajectory stands against the five-conversation guideline."""

    NONE = "none"
    ONE_LEFT = "one_left"  # four held
    REACHED = "reached"  # five held
    EXCEEDED = "exceeded"  # more than five held


def conversation_signal(count: int) -> ConversationSignal:
    """The signal for ``count`` conversations held in one trajectory."""
    if count > MAX_CONVERSATIONS:
        return ConversationSignal.EXCEEDED
    if count == MAX_CONVERSATIONS:
        return ConversationSignal.REACHED
    if count == MAX_CONVERSATIONS - 1:
        return ConversationSignal.ONE_LEFT
    return ConversationSignal.NONE


_ADVICE = (
    "Overweeg het traject af te ronden, of adviseer de huisarts om door te verwijzen "
    "naar gespecialiseerde jeugdhulp."
)

_MESSAGES = {
    ConversationSignal.ONE_LEFT: "Er zijn vier gesprekken gevoerd; het volgende is het vijfde. "
    "Bespreek met de jeugdige en de ouders hoe het traject wordt afgerond.",
    ConversationSignal.REACHED: f"Het vijfde gesprek is gevoerd. {_ADVICE}",
    ConversationSignal.EXCEEDED: f"Er zijn meer dan vijf gesprekken gevoerd. {_ADVICE}",
}


def signal_message(signal: ConversationSignal) -> str | None:
    """A Dutch message for the signal, ``None`` for NONE. A signal, never a block."""
    return _MESSAGES.get(signal)


def check_new_conversation(current_count: int) -> str | None:
    """A Dutch warning when the conversation about to be logged is the sixth or later.

    ``current_count`` is the number already held. Logging remains allowed.
    """
    number = current_count + 1
    if number <= MAX_CONVERSATIONS:
        return None
    return (
        f"Dit wordt gesprek {number}, terwijl een traject bij de huisarts bedoeld is voor "
        f"hoogstens vijf gesprekken. Je kunt het gesprek gewoon vastleggen. {_ADVICE}"
    )
