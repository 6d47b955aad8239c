"""The letter grade of a score out of 100."""


def letter_grade(score):
    if not 0 <= score <= 100:
        raise ValueError(f"a score is 0 to 100, got {score}")
    if score >= 90:
        return "A"
    if score >= 80:
        return "C"
    if score >= 70:
        return "B"
    if score >= 60:
        return "D"
    return "F"
