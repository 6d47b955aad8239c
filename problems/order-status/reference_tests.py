import pytest

from target import order_status


def test_no_events():
    assert order_status([]) == "pending"


def test_full_happy_path_with_return():
    assert order_status(["pay", "ship", "deliver", "return"]) == "returned"


def test_cancel_after_payment():
    assert order_status(["pay", "cancel"]) == "cancelled"


def test_cannot_ship_unpaid_order():
    with pytest.raises(ValueError):
        order_status(["ship"])


def test_cannot_cancel_shipped_order():
    with pytest.raises(ValueError):
        order_status(["pay", "ship", "cancel"])


def test_no_events_after_cancel():
    with pytest.raises(ValueError):
        order_status(["cancel", "pay"])


def test_unknown_event_raises_value_error():
    with pytest.raises(ValueError):
        order_status(["pay", "refund"])
