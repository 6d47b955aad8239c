"""The initials of a name: the first letter of each word, upper case, with dots."""


def initials(name):
    return "".join(word[0].upper() + "." for word in name.split(" "))
