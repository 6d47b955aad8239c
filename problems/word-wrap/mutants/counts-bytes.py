"""Greedy word wrap; a word longer than the width stays whole on a line of its own."""


def wrap(text, width):
    if width < 1:
        raise ValueError("width must be at least 1")
    lines = []
    current = ""
    for word in text.split():
        if not current:
            current = word
        elif len(current.encode()) + 1 + len(word.encode()) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines
