"""The initials of a name: the first letter of each word, upper case, with dots."""


def initials(name):
    return "".join((chr(ord(word[0]) - 32) if "a" <= word[0] <= "z" else word[0]) + "." for word in name.split())
