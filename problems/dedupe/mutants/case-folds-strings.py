"""Each distinct item once, in the order of first appearance."""


def dedupe(items):
    seen = set()
    result = []
    for item in items:
        key = item.lower() if isinstance(item, str) else item
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result
