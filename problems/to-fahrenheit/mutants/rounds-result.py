"""Degrees Celsius to degrees Fahrenheit."""


def to_fahrenheit(celsius):
    return round(celsius * 9 / 5 + 32)
