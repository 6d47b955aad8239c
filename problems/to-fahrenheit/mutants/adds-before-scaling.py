"""Degrees Celsius to degrees Fahrenheit."""


def to_fahrenheit(celsius):
    return (celsius + 32) * 9 / 5
