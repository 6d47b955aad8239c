"""A recursive-descent evaluator for integer arithmetic."""

_DIGITS = "0123456789"


def _tokenize(expression):
    tokens = []
    i = 0
    while i < len(expression):
        ch = expression[i]
        if ch == " ":
            i += 1
        elif ch in _DIGITS:
            j = i
            while j < len(expression) and expression[j] in _DIGITS:
                j += 1
            tokens.append(int(expression[i:j]))
            i = j
        elif ch in "+-*/()":
            tokens.append(ch)
            i += 1
        else:
            raise ValueError(f"unexpected character {ch!r}")
    return tokens


def _divide(a, b):
    if b == 0:
        raise ZeroDivisionError("division by zero")
    quotient = abs(a) // abs(b)
    return quotient if (a >= 0) == (b >= 0) else -quotient


def evaluate(expression):
    tokens = _tokenize(expression)
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take():
        nonlocal pos
        token = tokens[pos]
        pos += 1
        return token

    def parse_sum():
        value = parse_product()
        while peek() in ("+", "-"):
            op = take()
            rhs = parse_product()
            value = value + rhs if op == "+" else value - rhs
        return value

    def parse_product():
        value = parse_unary()
        while peek() in ("*", "/"):
            op = take()
            rhs = parse_unary()
            value = value * rhs if op == "*" else _divide(value, rhs)
        return value

    def parse_unary():
        token = peek()
        if token == "-":
            take()
            return -parse_unary()
        if token == "(":
            take()
            value = parse_sum()
            if peek() != ")":
                raise ValueError("missing closing parenthesis")
            take()
            return value
        if isinstance(token, int):
            take()
            return token
        raise ValueError(f"unexpected token {token!r}")

    result = parse_sum()
    return result
