"""The class of an HTTP status code."""


def status_class(code):
    if type(code) is not int:
        raise ValueError(f"not an HTTP status code: {code!r}")
    if 100 <= code < 200:
        return "informational"
    if 200 <= code < 299:
        return "success"
    if 300 <= code < 400:
        return "redirection"
    if 400 <= code < 500:
        return "client error"
    if 500 <= code < 600:
        return "server error"
    raise ValueError(f"not an HTTP status code: {code!r}")
