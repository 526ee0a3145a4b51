"""`ddmt compare --bundle DIR` and `--from-provenance FILE`: the command-line side of research bundles.

`provenance_of` records what `toolkit.research.provenance` needs from the parsed options and the
files; `apply_provenance` turns a provenance file back into the same options and inputs, so a rerun
writes the same data files byte for byte; `write` runs the bundle (and its figures). Methods and
file formats: docs/research.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import __version__
from toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from toolkit.cli.research import Research
    from toolkit.engine.comparison import Comparison
    from toolkit.model.rubric import Rubric

OPTION_FIELDS = ("uncertainty", "seed", "spread", "switch_aggregation", "sensitivity", "depth", "sobol_samples",
                 "consistency", "normalise", "lang", "figures", "rank_incomplete")


def add_bundle_arguments(compare: argparse.ArgumentParser) -> None:
    """--bundle, --figures and --from-provenance for `ddmt compare`."""
    compare.add_argument("--bundle", type=Path, metavar="DIR",
                         help="write every table asked for (CSV and Parquet), a codebook and provenance.json "
                              "into DIR (see docs/research.md)")
    compare.add_argument("--figures", action="store_true",
                         help="with --bundle, also the publication figures (SVG and PDF, in --lang)")
    compare.add_argument("--from-provenance", type=Path, metavar="FILE",
                         help="rerun the comparison a provenance.json describes (its inputs, rubric and "
                              "options; FILEs given are matched to its inputs by sha256)")


def rubric_file(rubric: Rubric, args: argparse.Namespace, files: list[Path]) -> Path | None:
    """The file the rubric was read from: --rubric, a rubric among the inputs, or the shipped one."""
    if getattr(args, "rubric", None):
        return Path(args.rubric)
    from toolkit.model.catalogue import list_rubrics
    from toolkit.model.jsonio import read_json

    for path in files:
        try:
            head = read_json(path)
        except Exception:  # noqa: BLE001 - an unreadable input was already reported by the loader
            continue
        if isinstance(head, dict) and head.get("kind") == "rubric" and (
                head.get("id"), head.get("version")) == (rubric.id, rubric.version):
            return path
    return next((path for rubric_id, version, path in list_rubrics()
                 if (rubric_id, version) == (rubric.id, rubric.version)), None)


def provenance_of(args: argparse.Namespace, comparison: Comparison, rubric_path: Path | None,
                  agreement_level: str | None) -> dict[str, Any]:
    """The provenance record of this run (SPEC 13)."""
    from toolkit.research import provenance

    rubric = comparison.rubric
    options: dict[str, Any] = {
        "normalisation": comparison.normalisation,
        "lang": args.lang,
        "uncertainty": ({"draws": args.uncertainty, "seed": args.seed, "spread": args.spread,
                         "switch_aggregation": bool(args.switch_aggregation)} if args.uncertainty else None),
        "sensitivity": ({"depth": args.depth, "samples": args.sobol_samples, "seed": args.seed,
                         "spread": args.spread, "switch_aggregation": bool(args.switch_aggregation),
                         "bootstrap": 1000, "confidence": 0.95} if args.sensitivity else None),
        "consistency": bool(args.consistency),
        "agreement": {"level": agreement_level} if agreement_level else None,
        "figures": bool(getattr(args, "figures", False)),
    }
    if hasattr(args, "rank_incomplete"):
        options["rank_incomplete"] = bool(args.rank_incomplete)
    return provenance.build(
        toolkit_version=__version__,
        rubric={"id": rubric.id, "version": rubric.version,
                "sha256": provenance.sha256_of(rubric_path) if rubric_path else None,
                "file": rubric_path.name if rubric_path else None},
        inputs=[{"assessment": a.id, "file": path.name, "path": str(path.resolve()), "sha256": provenance.sha256_of(path)}
                for a, path in ((a, Path(a.source_file or a.id)) for a in comparison.assessments)],
        options=options)


def apply_provenance(args: argparse.Namespace) -> dict[str, Any]:
    """Read --from-provenance into `args` (its inputs and options); return the record."""
    from toolkit.research import provenance

    record = provenance.read(args.from_provenance)
    args.files = provenance.locate_inputs(record, args.from_provenance, args.files)
    options = record["options"]
    spread = options.get("uncertainty") or options.get("sensitivity") or {}
    args.uncertainty = (options.get("uncertainty") or {}).get("draws")
    args.seed = spread.get("seed", 0)
    args.spread = spread.get("spread", 0.25)
    args.switch_aggregation = bool(spread.get("switch_aggregation", False))
    sensitivity = options.get("sensitivity")
    args.sensitivity = sensitivity is not None
    if sensitivity:
        args.depth, args.sobol_samples = sensitivity["depth"], sensitivity["samples"]
    args.consistency = bool(options.get("consistency"))
    args.normalise = options.get("normalisation")
    args.lang = options.get("lang", "en")
    args.figures = bool(options.get("figures"))
    if "rank_incomplete" in options and hasattr(args, "rank_incomplete"):
        args.rank_incomplete = bool(options["rank_incomplete"])
    return record


def check_rubric(record: dict[str, Any], rubric_path: Path | None, source: Path) -> None:
    """A rerun must score with the very rubric the provenance names (same sha256)."""
    from toolkit.research import provenance

    wanted = record["rubric"].get("sha256")
    if wanted and (rubric_path is None or provenance.sha256_of(rubric_path) != wanted):
        raise ToolkitError(f"{source}: $.rubric: the rubric {record['rubric'].get('id')} "
                           f"{record['rubric'].get('version')} available here differs from the one recorded "
                           f"(sha256); pass the recorded rubric file with --rubric")


def agreement_rounds(comparison: Comparison) -> list[Any]:
    """Krippendorff's alpha of every compared round that has respondents (SPEC 12)."""
    from toolkit.research.agreement import round_agreement

    return [round_agreement(comparison.rubric, a) for a in comparison.assessments if a.responses]


def write(args: argparse.Namespace, comparison: Comparison, research: Research,
          rubric_path: Path | None) -> str:
    """Write the bundle into args.bundle; the line that says where it went."""
    from toolkit.research.bundle import BundleInputs, write_bundle

    rounds = agreement_rounds(comparison)
    record = provenance_of(args, comparison, rubric_path, "ordinal" if rounds else None)
    inputs = BundleInputs(comparison=comparison, provenance=record, uncertainty=research.uncertainty,
                          sensitivity=research.sensitivity, consistency=research.consistency,
                          agreement=rounds, lang=args.lang)
    extra = None
    if getattr(args, "figures", False):
        from toolkit.research.figures import write_figures

        def extra(folder: Path) -> list[str]:
            return write_figures(folder / "figures", comparison, research.uncertainty, research.sensitivity,
                                 args.lang, prefix="figures/")
    written = write_bundle(args.bundle, inputs, extra)
    return f"bundle: {len(written['files']) + 1} files in {args.bundle}"
