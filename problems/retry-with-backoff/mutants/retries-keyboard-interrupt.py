"""Call an operation until it succeeds, waiting longer after each failure."""

import time


def retry(operation, attempts, sleep=time.sleep, base_delay=0.1):
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(1, attempts + 1):
        try:
            return operation()
        except BaseException:
            if attempt == attempts:
                raise
        sleep(base_delay * 2 ** (attempt - 1))
    raise AssertionError("unreachable")
