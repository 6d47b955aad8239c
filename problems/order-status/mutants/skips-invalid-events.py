"""Replay order events through a transition table."""

_TRANSITIONS = {
    ("pending", "pay"): "paid",
    ("pending", "cancel"): "cancelled",
    ("paid", "ship"): "shipped",
    ("paid", "cancel"): "cancelled",
    ("shipped", "deliver"): "delivered",
    ("delivered", "return"): "returned",
}


def order_status(events):
    state = "pending"
    for event in events:
        key = (state, event)
        if key not in _TRANSITIONS:
            continue
        state = _TRANSITIONS[key]
    return state
