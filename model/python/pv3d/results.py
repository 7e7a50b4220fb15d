"""bench/results.json: metric → {value, unit, command, date}, merged so each benchmark updates its own rows."""
from __future__ import annotations

import datetime
import json
import os

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
RESULTS = os.path.join(REPO, "bench", "results.json")


def record(metrics: dict, command: str, path: str = RESULTS):
    """metrics: name → (value, unit)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = {}
    if os.path.exists(path):
        with open(path) as f:
            data = json.load(f)
    today = datetime.date.today().isoformat()
    for name, (value, unit) in metrics.items():
        data[name] = {"value": value, "unit": unit, "command": command, "date": today}
    with open(path, "w") as f:
        json.dump(dict(sorted(data.items())), f, indent=2, separators=(",", " : "))  # as Jackson writes it
        f.write("\n")
