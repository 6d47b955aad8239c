"""Shell-style wildcard matching with *, ? and [...] classes."""


def _compile(pattern):
    tokens = []
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            tokens.append(("star",))
            i += 1
        elif ch == "?":
            tokens.append(("any",))
            i += 1
        elif ch == "[":
            j = i + 1
            negate = j < n and pattern[j] == "!"
            if negate:
                j += 1
            end = pattern.find("]", j)
            if end == -1 or end == j:
                raise ValueError(f"bad character class at position {i}")
            body = pattern[j:end]
            ranges = []
            k = 0
            while k < len(body):
                if k + 2 < len(body) and body[k + 1] == "-":
                    ranges.append((body[k], body[k + 2]))
                    k += 3
                else:
                    ranges.append((body[k], body[k]))
                    k += 1
            tokens.append(("class", negate, ranges))
            i = end + 1
        else:
            tokens.append(("literal", ch))
            i += 1
    return tokens


def _matches_one(token, ch):
    kind = token[0]
    if kind == "any":
        return True
    if kind == "literal":
        return token[1] == ch
    _, negate, ranges = token
    hit = any(low <= ch <= high for low, high in ranges)
    return hit != negate


def glob_match(pattern, text):
    tokens = _compile(pattern)
    m = len(text)
    # reachable[p] is True when the tokens seen so far can match text[:p]
    reachable = [True] + [False] * m
    for token in tokens:
        following = [False] * (m + 1)
        if token[0] == "star":
            seen = False
            for p in range(m + 1):
                following[p] = seen
                seen = seen or reachable[p]
        else:
            for p in range(m):
                if reachable[p] and _matches_one(token, text[p]):
                    following[p + 1] = True
        reachable = following
    return reachable[m]
