"""The five-conversation guideline: what counts, and the signals around the fifth."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison_desktop.domain.conversations import (
    MAX_CONVERSATIONS,
    ConversationSignal,
    check_new_conversation,
    conversation_count,
    conversation_signal,
    counts_by_default,
    signal_message,
)
from liaison_desktop.domain.model import Contact, ContactType, Participant


def contact(type: ContactType, counts: bool | None = None) -> Contact:
    return Contact(
        client_id="c",
        trajectory_id="t",
        type=type,
        start=datetime(2024, 3, 1, 10, 0),
        duration_min=45,
        practice_id="p",
        participants=(Participant.CHILD,),
        counts_as_conversation=counts_by_default(type) if counts is None else counts,
    )


@pytest.mark.parametrize(
    ("type", "counts"),
    [
        (ContactType.CONVERSATION_CHILD, True),
        (ContactType.CONVERSATION_PARENTS, True),
        (ContactType.CONVERSATION_FAMILY, True),
        (ContactType.PHONE, False),
        (ContactType.GP_CONSULTATION, False),
        (ContactType.TEAM_MEETING, False),
        (ContactType.OTHER_PROFESSIONAL, False),
    ],
)
def test_counts_by_default(type: ContactType, counts: bool) -> None:
    assert counts_by_default(type) is counts


def test_conversation_count_uses_the_flag() -> None:
    contacts = [
        contact(ContactType.CONVERSATION_CHILD),
        contact(ContactType.CONVERSATION_PARENTS),
        contact(ContactType.GP_CONSULTATION),
        contact(ContactType.TEAM_MEETING),
        contact(ContactType.PHONE),
        contact(ContactType.PHONE, counts=True),  # a real conversation by phone
        contact(ContactType.CONVERSATION_FAMILY, counts=False),
    ]
    assert conversation_count(contacts) == 3
    assert conversation_count([]) == 0


@pytest.mark.parametrize(
    ("count", "signal"),
    [
        (0, ConversationSignal.NONE),
        (3, ConversationSignal.NONE),
        (4, ConversationSignal.ONE_LEFT),
        (5, ConversationSignal.REACHED),
        (6, ConversationSignal.EXCEEDED),
        (12, ConversationSignal.EXCEEDED),
    ],
)
def test_conversation_signal(count: int, signal: ConversationSignal) -> None:
    assert conversation_signal(count) is signal


def test_signal_messages_are_dutch_advice_and_none_for_none() -> None:
    assert MAX_CONVERSATIONS == 5
    assert signal_message(ConversationSignal.NONE) is None
    assert "vijfde" in signal_message(ConversationSignal.ONE_LEFT)
    reached = signal_message(ConversationSignal.REACHED)
    assert "af te ronden" in reached
    assert "huisarts" in reached
    assert "meer dan vijf" in signal_message(ConversationSignal.EXCEEDED)


def test_logging_the_fifth_conversation_gives_no_warning() -> None:
    assert check_new_conversation(0) is None
    assert check_new_conversation(4) is None


def test_logging_the_sixth_conversation_warns_but_does_not_block() -> None:
    warning = check_new_conversation(5)
    assert warning is not None
    assert "gesprek 6" in warning
    assert "vastleggen" in warning
    assert "gesprek 8" in check_new_conversation(7)


@given(st.integers(min_value=0, max_value=100))
def test_warning_exactly_when_signal_after_logging_is_exceeded(count: int) -> None:
    warns = check_new_conversation(count) is not None
    assert warns == (conversation_signal(count + 1) is ConversationSignal.EXCEEDED)
