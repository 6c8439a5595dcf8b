"""``python -m energymodel.data.build --raw /path/to/raw --out inputs``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from energymodel.data.build import build_all
from energymodel.data.build.rawcheck import (
    MANIFEST_FILE,
    RawDataError,
    changes,
    fingerprint,
    read_manifest,
)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and rebuild the input tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, required=True, help="folder of raw measured data")
    parser.add_argument("--out", type=Path, default=Path("inputs"), help="output folder")
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"build nothing: compare the raw files with {MANIFEST_FILE} of --out "
        "(exit 1 if one changed)",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    if args.check:
        return _check(args.raw, args.out)
    try:
        notes = build_all(args.raw, args.out)
    except RawDataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for key in sorted(notes):
        print(f"{key}: {notes[key]:.3f}")
    return 0


def _check(raw: Path, out: Path) -> int:
    """Compare the raw files with the manifest of ``out``; 0 when none changed."""
    manifest = out.resolve() / MANIFEST_FILE
    old = read_manifest(manifest)
    if not old:
        print(f"error: no manifest {manifest}: build once first", file=sys.stderr)
        return 1
    try:
        found = changes(old, fingerprint(raw))
    except OSError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for line in found:
        print(f"{raw.resolve()}/{line}", file=sys.stderr)
    if found:
        print(f"{len(found)} raw file(s) differ from {manifest}: rebuild with make inputs")
        return 1
    print(f"every raw file matches {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
