"""Drift check: does the exporter still produce the committed model?

    python3 -m pv3d.drift --committed ../exported/tiny --references ../references/tiny --out DIR

Re-exports the committed model's configuration (from the seed, or from the weights file the manifest names)
into DIR with fresh references, then compares every reference output of the fresh export with the committed
references on the same inputs (outputs, not bytes). The Java side then runs both sets of ONNX graphs
(system property model.drift.dir=DIR) so that the committed ONNX files are checked too.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

from . import config as configs, export

FORWARD_TOLERANCE = 1e-4  # max abs, scaled by max(1, max |reference|): fitted planes reach ~10³ (ulp ~6e-5)
GRADIENT_RELATIVE_TOLERANCE = 1e-3
RENDER_BIN_FLIP_FACTOR = 50  # render outputs: ≤ 0.5 % of elements over the bound, by at most this factor


def compare(committed_refs: str, fresh_refs: str):
    with open(os.path.join(committed_refs, "index.json")) as f:
        old = json.load(f)
    with open(os.path.join(fresh_refs, "index.json")) as f:
        new = json.load(f)
    problems = []
    for section in ("graphs", "gradients"):
        if set(old[section]) != set(new[section]):
            problems.append(f"{section}: committed {sorted(old[section])} vs exported {sorted(new[section])}")
            continue
        for key, entry in old[section].items():
            for kind in ("inputs", "outputs"):
                for name, file in entry[kind].items():
                    a = np.load(os.path.join(committed_refs, file))
                    other = new[section][key][kind].get(name)
                    if other is None:
                        problems.append(f"{key}.{name}: missing from the fresh export")
                        continue
                    b = np.load(os.path.join(fresh_refs, other))
                    if a.shape != b.shape:
                        problems.append(f"{key}.{kind}.{name}: shape {a.shape} vs {b.shape}")
                    elif section == "graphs" or kind == "inputs":
                        diff = np.abs(a - b)
                        err = float(np.max(diff)) if a.size else 0.0
                        bound = FORWARD_TOLERANCE * max(1.0, float(np.max(np.abs(a))) if a.size else 0.0)
                        over = int(np.count_nonzero(~(diff <= bound)))
                        if key == "render" and kind == "outputs":
                            # Importance sampling flips a bin where u sits on a cumulative-sum boundary: last-bit
                            # changes of the planes move a few pixels of a fitted model (see ParityTest).
                            if over * 200 > a.size or err > RENDER_BIN_FLIP_FACTOR * bound:
                                problems.append(f"{key}.{kind}.{name}: {over} of {a.size} over {bound:.3g}, "
                                                f"max abs diff {err:.3g}")
                        elif err > bound:
                            problems.append(f"{key}.{kind}.{name}: max abs diff {err:.3g} > {bound:.3g}")
                    else:
                        err = float(np.linalg.norm(a - b) / max(np.linalg.norm(a), 1e-30))
                        if err > GRADIENT_RELATIVE_TOLERANCE:
                            problems.append(f"{key}.{name}: relative diff {err:.3g} > {GRADIENT_RELATIVE_TOLERANCE}")
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--committed", required=True)
    ap.add_argument("--references", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    with open(os.path.join(args.committed, "model.json")) as f:
        manifest = json.load(f)
    cfg = configs.Pv3dConfig.from_json(manifest["config"])
    source = manifest.get("source", {})
    weights = source.get("weights")
    if weights:
        weights = os.path.join(args.committed, weights)
    refs = os.path.join(args.out, "references")
    export.export(cfg, os.path.join(args.out, "model"), seed=source.get("seed", args.seed), weights=weights,
                  references=refs, description=manifest.get("description"), version=manifest["version"])
    problems = compare(args.references, refs)
    for p in problems:
        print("DRIFT:", p, file=sys.stderr)
    print(f"drift check: {'FAILED' if problems else 'ok'} ({len(problems)} problems); fresh export in {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
