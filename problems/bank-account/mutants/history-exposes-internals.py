"""A bank account in whole cents that never goes below zero."""


class InsufficientFunds(ValueError):
    """A withdrawal asked for more than the balance."""


class Account:
    def __init__(self, owner):
        self.owner = owner
        self.balance = 0
        self._history = []

    @staticmethod
    def _check(cents):
        if type(cents) is not int or cents <= 0:
            raise ValueError(f"amount must be a positive number of cents, got {cents!r}")

    def deposit(self, cents):
        self._check(cents)
        self.balance += cents
        self._history.append(("deposit", cents))

    def withdraw(self, cents):
        self._check(cents)
        if cents > self.balance:
            raise InsufficientFunds(f"balance is {self.balance}, cannot withdraw {cents}")
        self.balance -= cents
        self._history.append(("withdraw", cents))

    def transfer_to(self, other, cents):
        self.withdraw(cents)
        other.deposit(cents)

    def history(self):
        return self._history
