"""Replay order events through a transition table."""

_TRANSITIONS = {
    ("pending", "pay"): "paid",
    ("pending", "cancel"): "cancelled",
    ("paid", "ship"): "shipped",
    ("paid", "cancel"): "cancelled",
    ("shipped", "deliver"): "delivered",
    ("shipped", "cancel"): "cancelled",
    ("delivered", "return"): "returned",
}


def order_status(events):
    state = "pending"
    for event in events:
        key = (state, event)
        if key not in _TRANSITIONS:
            raise ValueError(f"cannot {event!r} an order that is {state}")
        state = _TRANSITIONS[key]
    return state
