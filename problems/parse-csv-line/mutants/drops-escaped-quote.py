"""A small CSV line parser written as a state machine."""

START, UNQUOTED, QUOTED, AFTER_QUOTE = "start", "unquoted", "quoted", "after_quote"


def _finish(field):
    return "".join(field)


def parse_csv_line(line):
    fields = []
    field = []
    state = START
    for ch in line:
        if state == START:
            if ch == '"':
                state = QUOTED
            elif ch == ",":
                fields.append("")
            else:
                field.append(ch)
                state = UNQUOTED
        elif state == UNQUOTED:
            if ch == ",":
                fields.append(_finish(field))
                field = []
                state = START
            elif ch == '"':
                raise ValueError("quote inside an unquoted field")
            else:
                field.append(ch)
        elif state == QUOTED:
            if ch == '"':
                state = AFTER_QUOTE
            else:
                field.append(ch)
        else:  # AFTER_QUOTE: the previous character was a quote inside a quoted field
            if ch == '"':
                state = QUOTED
            elif ch == ",":
                fields.append(_finish(field))
                field = []
                state = START
            else:
                raise ValueError("unexpected character after closing quote")
    if state == QUOTED:
        raise ValueError("unterminated quoted field")
    fields.append(_finish(field))
    return fields
