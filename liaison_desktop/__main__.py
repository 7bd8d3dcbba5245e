"""Parse arguments and hand over to the CLI or the desktop app."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from liaison_desktop import cli

    parser = cli.build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is not None:
        return cli.run(args)
    from liaison_desktop import bootstrap

    return bootstrap.run_app(args)


if __name__ == "__main__":
    sys.exit(main())
