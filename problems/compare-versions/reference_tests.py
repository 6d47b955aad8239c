import pytest

from target import compare_versions


def test_patch_difference():
    assert compare_versions("1.2.3", "1.2.4") == -1
    assert compare_versions("1.2.4", "1.2.3") == 1


def test_equal_versions():
    assert compare_versions("2.0.0", "2.0.0") == 0


def test_result_is_exactly_one():
    assert compare_versions("5.0.0", "2.0.0") == 1
    assert compare_versions("1.0.0", "1.0.7") == -1


def test_core_numbers_compare_numerically():
    assert compare_versions("1.10.0", "1.9.0") == 1


def test_prerelease_is_lower_than_release():
    assert compare_versions("1.0.0-alpha", "1.0.0") == -1
    assert compare_versions("1.0.0", "1.0.0-rc.1") == 1


def test_numeric_identifiers_compare_numerically():
    assert compare_versions("1.0.0-beta.11", "1.0.0-beta.2") == 1


def test_numeric_identifier_is_lower_than_alphanumeric():
    assert compare_versions("1.0.0-1", "1.0.0-alpha") == -1


def test_fewer_identifiers_is_lower():
    assert compare_versions("1.0.0-alpha", "1.0.0-alpha.1") == -1


def test_ascii_ordering_of_identifiers():
    assert compare_versions("1.0.0-RC", "1.0.0-alpha") == -1


def test_build_metadata_is_ignored():
    assert compare_versions("1.0.0+build.5", "1.0.0") == 0


def test_leading_zero_is_invalid():
    with pytest.raises(ValueError):
        compare_versions("01.2.3", "1.2.3")


def test_missing_patch_is_invalid():
    with pytest.raises(ValueError):
        compare_versions("1.2", "1.2.0")
