"""Read a TCP port number typed by a user."""


class PortError(ValueError):
    """The text is not a usable port number."""


def parse_port(text):
    stripped = text.strip()
    if not stripped:
        raise PortError("empty port")
    if not (stripped.isascii() and stripped.isdigit()):
        raise PortError("not a port number")
    number = int(stripped)
    if not 1 <= number <= 65535:
        raise PortError(f"port out of range: {number}")
    return number
