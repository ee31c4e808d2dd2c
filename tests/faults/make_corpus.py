"""Write the bad-input corpus: one landing folder per case, from a freshly generated tiny tier.

    uv run python tests/faults/make_corpus.py --out /tmp/corpus
    uv run python tests/faults/make_corpus.py --markdown     # the table of docs/bad-input.md

Each case folder holds the clean month before it (2019-11) and the edited month (2019-12), so
`yibao run --landing <case>/landing` shows what an operator would see.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CASES, MONTH  # noqa: E402

BASE_MONTHS = "2019-11:2019-12"
SEED = 7


def generate_base(out: Path) -> Path:
    """The clean tiny tier the cases start from; returns its landing folder."""
    from yibao_synth.calendar import parse_months
    from yibao_synth.generate import generate

    generate(out, "tiny", parse_months(BASE_MONTHS), SEED)
    return out / "landing"


def write_case(base: Path, case, out: Path) -> Path:
    landing = out / case.name / "landing"
    shutil.copytree(base, landing)
    case.apply(landing / MONTH)
    return landing


def behaviour(c) -> str:
    """What the operator sees, in the words of docs/bad-input.md."""
    where = ", ".join(x for x in (f"row {c.row}" if c.row else "",
                                  f"column {c.column}" if c.column else "") if x)
    if c.expect == "normalised":
        return "loads, no reject"
    if c.expect == "quarantined":
        return f"loads; {c.rejected} row to raw.rejects" + (f" ({where})" if where else "")
    return f"month refused: “{c.message}”" + (f" ({where})" if where else "")


def markdown() -> str:
    lines = ["| case | group | what is delivered | outcome | behaviour |",
             "|---|---|---|---|---|"]
    lines += [f"| `{c.name}` | {c.group} | {c.description} | {c.expect} | {behaviour(c)} |"
              for c in CASES]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    if args.markdown:
        print(markdown())
        return
    if args.out is None:
        parser.error("--out or --markdown")
    base = generate_base(args.out / "_clean")
    for case in CASES:
        write_case(base, case, args.out)
    (args.out / "cases.json").write_text(json.dumps(
        [{"name": c.name, "group": c.group, "expect": c.expect, "target": c.target,
          "description": c.description} for c in CASES], ensure_ascii=False, indent=2),
        encoding="utf-8")
    print(f"{len(CASES)} cases in {args.out}")


if __name__ == "__main__":
    main()
