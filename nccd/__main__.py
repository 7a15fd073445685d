"""``python -m nccd``: the same as the ``nccd`` command."""

from .cli import main

if __name__ == "__main__":
    main()
