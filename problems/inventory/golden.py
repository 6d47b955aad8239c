"""An inventory of item counts; names are case-insensitive."""


class OutOfStock(Exception):
    """A removal asked for more than the warehouse holds."""


class Inventory:
    def __init__(self):
        self._counts = {}

    @staticmethod
    def _check(quantity):
        if type(quantity) is not int or quantity < 1:
            raise ValueError(f"quantity must be a positive int, got {quantity!r}")

    def add(self, item, quantity):
        self._check(quantity)
        key = item.lower()
        self._counts[key] = self._counts.get(key, 0) + quantity

    def remove(self, item, quantity):
        self._check(quantity)
        key = item.lower()
        held = self._counts.get(key, 0)
        if held < quantity:
            raise OutOfStock(f"{key}: {held} held, {quantity} asked")
        if held == quantity:
            del self._counts[key]
        else:
            self._counts[key] = held - quantity

    def count(self, item):
        return self._counts.get(item.lower(), 0)

    def low_stock(self, threshold):
        return [item for item, held in self._counts.items() if held <= threshold]
