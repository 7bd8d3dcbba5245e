"""Entry script of the frozen bundle: the same ``main`` as the ``liaison-desktop`` command."""

import sys

from liaison_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
