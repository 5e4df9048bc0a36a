from __future__ import annotations

import pytest

from aggregator import tokens
from aggregator.errors import InputError


def test_tokens_round_trip_and_are_purpose_bound() -> None:
    unsub = tokens.unsubscribe_token("k", 42)
    assert tokens.read_unsubscribe_token("k", unsub) == 42
    assert tokens.read_confirmation_token("k", tokens.confirmation_token("k", 7)) == 7
    assert tokens.read_management_token("k", tokens.management_token("k", 9)) == 9
    with pytest.raises(InputError):
        tokens.read_confirmation_token("k", unsub)
    with pytest.raises(InputError):
        tokens.read_unsubscribe_token("other-key", unsub)
    with pytest.raises(InputError):
        tokens.read_unsubscribe_token("k", unsub[:-2] + "xx")


def test_confirmation_tokens_expire() -> None:
    token = tokens.confirmation_token("k", 7)
    with pytest.raises(InputError, match="expired"):
        tokens.read_confirmation_token("k", token, max_age=-1)
