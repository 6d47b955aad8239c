import pytest

from target import Inventory, OutOfStock


@pytest.fixture
def stocked():
    inventory = Inventory()
    inventory.add("bolt", 5)
    inventory.add("nut", 2)
    return inventory


def test_removing_everything_means_no_longer_held(stocked):
    stocked.remove("nut", 2)
    assert stocked.count("nut") == 0
    assert sorted(stocked.low_stock(100)) == ["bolt"]


def test_a_failed_removal_changes_nothing(stocked):
    with pytest.raises(OutOfStock):
        stocked.remove("bolt", 6)
    assert stocked.count("bolt") == 5


def test_names_are_case_insensitive(stocked):
    stocked.add("BOLT", 1)
    assert stocked.count("Bolt") == 6
    assert "bolt" in stocked.low_stock(6)


def test_threshold_is_inclusive(stocked):
    assert sorted(stocked.low_stock(2)) == ["nut"]
    assert sorted(stocked.low_stock(5)) == ["bolt", "nut"]


@pytest.mark.parametrize("quantity", [0, -1])
def test_quantity_must_be_positive(stocked, quantity):
    with pytest.raises(ValueError):
        stocked.add("bolt", quantity)
    with pytest.raises(ValueError):
        stocked.remove("bolt", quantity)
    assert stocked.count("bolt") == 5
