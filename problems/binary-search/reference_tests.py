from target import binary_search


def test_finds_item_in_the_middle():
    assert binary_search([1, 3, 5, 7, 9], 7) == 3


def test_finds_first_item():
    assert binary_search([1, 3, 5, 7], 1) == 0


def test_duplicates_return_first_occurrence():
    assert binary_search([1, 2, 2, 2, 2, 2, 3], 2) == 1


def test_missing_between_items():
    assert binary_search([1, 3, 5, 7], 4) == -1


def test_missing_after_all_items():
    assert binary_search([1, 3, 5, 7], 9) == -1


def test_empty_list():
    assert binary_search([], 3) == -1
