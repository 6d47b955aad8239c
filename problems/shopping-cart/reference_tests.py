import pytest

from target import Cart


@pytest.fixture
def cart():
    cart = Cart()
    cart.add("tea", 125)
    return cart


def test_a_half_cent_discount_rounds_up(cart):
    cart.apply_coupon(10)          # 12.5 cents off
    assert cart.total() == 112


def test_a_second_coupon_replaces_the_first(cart):
    cart.add("cup", 875)           # subtotal 1000
    cart.apply_coupon(10)
    cart.apply_coupon(20)
    assert cart.total() == 800


def test_adding_the_same_item_adds_to_its_quantity(cart):
    cart.add("tea", 125, quantity=2)
    assert cart.total() == 375


def test_removing_an_absent_item_raises_key_error(cart):
    with pytest.raises(KeyError):
        cart.remove("coffee")
    cart.remove("tea")
    assert cart.total() == 0


@pytest.mark.parametrize("percent, total", [(20, 100), (100, 0), (30, 87)])
def test_totals_are_whole_cents(cart, percent, total):
    cart.apply_coupon(percent)
    result = cart.total()
    assert type(result) is int
    assert result == total


def test_a_different_price_for_the_same_item_is_refused(cart):
    with pytest.raises(ValueError):
        cart.add("tea", 130)
