"""Command line placeholder (replaced by the real command line)."""


def main() -> int:
    return 0
