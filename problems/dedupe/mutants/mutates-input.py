"""Each distinct item once, in the order of first appearance."""


def dedupe(items):
    seen = set()
    index = 0
    while index < len(items):
        if items[index] in seen:
            del items[index]
        else:
            seen.add(items[index])
            index += 1
    return items
