"""FizzBuzz for one number."""


def fizzbuzz(n):
    if n < 1:
        raise ValueError("n must be positive")
    if n % 3 == 0:
        return "Fizz"
    if n % 15 == 0:
        return "FizzBuzz"
    if n % 5 == 0:
        return "Buzz"
    return str(n)
