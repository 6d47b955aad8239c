import re

import pytest

from target import Account, InsufficientFunds


@pytest.fixture
def account():
    account = Account("ada")
    account.deposit(300)
    return account


def test_the_account_can_be_emptied_exactly(account):
    account.withdraw(300)
    assert account.balance == 0


def test_an_overdraft_is_refused_with_both_amounts_and_changes_nothing(account):
    with pytest.raises(InsufficientFunds, match=re.escape("balance is 300, cannot withdraw 301")):
        account.withdraw(301)
    assert account.balance == 300
    assert account.history() == [("deposit", 300)]


def test_a_failed_transfer_changes_neither_account(account):
    other = Account("bob")
    with pytest.raises(InsufficientFunds):
        account.transfer_to(other, 1000)
    assert (account.balance, other.balance) == (300, 0)
    assert other.history() == []


def test_history_is_a_copy(account):
    account.history().append(("deposit", 1_000_000))
    assert account.history() == [("deposit", 300)]


@pytest.mark.parametrize("cents", [0, -5, 1.5])
def test_amounts_must_be_positive_whole_cents(account, cents):
    with pytest.raises(ValueError):
        account.deposit(cents)
    with pytest.raises(ValueError):
        account.withdraw(cents)
    assert account.balance == 300
