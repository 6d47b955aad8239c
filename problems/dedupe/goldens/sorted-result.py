"""Each distinct item once, sorted when the items can be sorted."""


def dedupe(items):
    distinct = list(dict.fromkeys(items))
    try:
        return sorted(distinct)
    except TypeError:
        return distinct
