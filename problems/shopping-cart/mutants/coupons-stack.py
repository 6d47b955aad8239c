"""A shopping cart in whole cents with at most one percentage coupon."""


class Cart:
    def __init__(self):
        self._items = {}  # sku -> [unit_cents, quantity]
        self._percent = 0

    def add(self, sku, unit_cents, quantity=1):
        if sku in self._items:
            line = self._items[sku]
            if line[0] != unit_cents:
                raise ValueError(f"{sku} costs {line[0]}, not {unit_cents}")
            line[1] += quantity
        else:
            self._items[sku] = [unit_cents, quantity]

    def remove(self, sku):
        del self._items[sku]

    def apply_coupon(self, percent):
        if not 1 <= percent <= 100:
            raise ValueError("a coupon is 1 to 100 percent")
        self._percent = 100 - (100 - self._percent) * (100 - percent) // 100

    def total(self):
        subtotal = sum(unit * quantity for unit, quantity in self._items.values())
        discount = (subtotal * self._percent + 50) // 100  # halves round up
        return subtotal - discount
