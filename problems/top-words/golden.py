"""Word frequencies with deterministic tie-breaking."""


def _words(text):
    word = []
    for ch in text:
        if ch.isalpha():
            word.append(ch)
        elif word:
            yield "".join(word)
            word = []
    if word:
        yield "".join(word)


def top_words(text, n):
    if n < 0:
        raise ValueError("n must not be negative")
    counts = {}
    for word in _words(text):
        key = word.lower()
        counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:n]
