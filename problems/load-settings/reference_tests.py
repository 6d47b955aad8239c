import pytest

from target import Settings, load_settings


@pytest.mark.parametrize("text, debug", [("FALSE", False), ("no", False), ("Yes", True),
                                         ("", False)])
def test_debug_words(text, debug):
    assert load_settings({"APP_NAME": "shop", "APP_DEBUG": text}).debug is debug


def test_an_empty_port_means_the_default():
    assert load_settings({"APP_NAME": "shop", "APP_PORT": ""}).port == 8080


def test_the_real_environment_is_read_when_no_mapping_is_given(monkeypatch):
    monkeypatch.setenv("APP_NAME", "  from-env ")
    monkeypatch.delenv("APP_PORT", raising=False)
    monkeypatch.setenv("APP_DEBUG", "1")
    assert load_settings() == Settings("from-env", 8080, True)
    monkeypatch.setenv("APP_NAME", "other")
    assert load_settings({"APP_NAME": "given"}).name == "given"


@pytest.mark.parametrize("env", [{}, {"APP_NAME": "  "}, {"APP_NAME": "x", "APP_PORT": "0"},
                                 {"APP_NAME": "x", "APP_PORT": "65536"},
                                 {"APP_NAME": "x", "APP_DEBUG": "maybe"}])
def test_bad_settings_are_refused(env):
    with pytest.raises(ValueError):
        load_settings(env)
