"""Run-length encoding: count followed by character."""


def _run(count, char):
    return f"{count}{char}"


def rle_encode(text):
    if not text:
        return ""
    out = []
    prev = text[0]
    count = 1
    for ch in text[1:]:
        if ch == prev and count < 9:
            count += 1
        else:
            out.append(_run(count, prev))
            prev = ch
            count = 1
    out.append(_run(count, prev))
    return "".join(out)
