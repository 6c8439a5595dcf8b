"""``python -m energymodel.data.build --raw /path/to/raw --out inputs``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from energymodel.data.build import build_all


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and rebuild the input tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, required=True, help="folder of raw measured data")
    parser.add_argument("--out", type=Path, default=Path("inputs"), help="output folder")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    notes = build_all(args.raw, args.out)
    for key in sorted(notes):
        print(f"{key}: {notes[key]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
