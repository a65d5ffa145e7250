"""Hold the exercise pictures byte for byte across a refactor of planner/catalog/figure/.

    .venv/bin/python scripts/figure_regression.py render /tmp/figs      # before: pictures and inputs
    .venv/bin/python scripts/figure_regression.py check /tmp/figs       # after: the same bytes?

`render` draws every picture in exercises/*.toml and tests/figure_samples/*.toml, plus random
pictures (a fixed seed, drawn from the pose keys of every view, a few numbers out of range), in
every output the app makes: the still SVG (right and left side, with and without the panel
labels, with Spanish labels), the motion SVG (right and left, two paces) and the handout's
reportlab drawing (its shapes and their properties, at two widths). It writes the inputs to
pictures.json, so `check` draws exactly the same pictures with the code as it is now and
compares. A picture that fails to draw records its exception, which must fail the same way.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.catalog import figure  # noqa: E402
from planner.catalog.figure.motion import Pace, render_motion_svg  # noqa: E402

RANDOM_PER_VIEW = 150


def catalog_pictures() -> dict[str, dict]:
    out = {}
    for folder in ("exercises", "tests/figure_samples"):
        for path in sorted((ROOT / folder).glob("*.toml")):
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            picture = data if "view" in data else data.get("picture")  # a sample is the table itself
            if picture:
                out[f"{folder.replace('/', '-')}-{path.stem}"] = picture
    return out


def random_pictures(seed: int = 12) -> dict[str, dict]:
    """Pictures of every view with random values of random pose keys (some out of range)."""
    from planner.catalog.figure.spec import KEYS, PRESS, PROPS, SYMBOLS

    rng = random.Random(seed)
    out = {}
    for view, keys in KEYS.items():
        for n in range(RANDOM_PER_VIEW):
            poses = []
            for _ in range(2):
                pose = {}
                for key in rng.sample(sorted(keys), rng.randint(0, min(len(keys), 8))):
                    allowed = keys[key]
                    if isinstance(allowed[0], str):
                        pose[key] = rng.choice(allowed)
                    else:
                        lo, hi = allowed
                        pose[key] = round(rng.uniform(lo - (hi - lo) * 0.1, hi + (hi - lo) * 0.1), 1)
                poses.append(pose)
            if rng.random() < 0.7:  # mostly one base in both panels, as the catalog has them
                poses[1].pop("base", None)
            pic = {"view": view, "props": rng.sample(PROPS, rng.randint(0, 3)), "start": poses[0], "end": poses[1]}
            if rng.random() < 0.3:
                pic["arrow"] = rng.choice(sorted(keys))
            if rng.random() < 0.2:
                pic["symbol"] = rng.choice(SYMBOLS)
            if rng.random() < 0.15 and view in PRESS:
                pic["press"] = rng.choice(PRESS[view])
            out[f"random-{view}-{n:03d}"] = pic
    return out


def _drawing_text(drawing) -> str:
    lines = [f"Drawing {drawing.width} {drawing.height}"]
    for node in drawing.contents:
        props = node.getProperties()
        lines.append(f"{type(node).__name__} " + repr(sorted((k, repr(v)) for k, v in props.items())))
    return "\n".join(lines)


def outputs(picture: dict) -> dict[str, str]:
    """Every rendering of one picture, by a short name."""
    spanish = figure.labels_in("es")
    makers = {
        "right.svg": lambda: figure.render_svg(picture, "right"),
        "left.svg": lambda: figure.render_svg(picture, "left", width=200),
        "bare.svg": lambda: figure.render_svg(picture, "right", with_labels=False),
        "es.svg": lambda: figure.render_svg(picture, "left", labels=spanish),
        "motion-right.svg": lambda: render_motion_svg(picture, "right"),
        "motion-left.svg": lambda: render_motion_svg(picture, "left", width=240, pace=Pace.of(5)),
        "drawing-right.txt": lambda: _drawing_text(figure.render_drawing(picture, "right")),
        "drawing-left.txt": lambda: _drawing_text(figure.render_drawing(picture, "left", width=161.3)),
    }
    out = {}
    for name, make in makers.items():
        try:
            out[name] = make()
        except Exception as exc:  # noqa: BLE001 - a failure is recorded and must stay the same
            out[name] = f"raised {type(exc).__name__}: {exc}"
    return out


def render(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pictures = {**catalog_pictures(), **random_pictures()}
    (folder / "pictures.json").write_text(json.dumps(pictures, indent=1, sort_keys=True), encoding="utf-8")
    for name, picture in pictures.items():
        for kind, text in outputs(picture).items():
            (folder / f"{name}.{kind}").write_text(text, encoding="utf-8")
    print(f"{len(pictures)} pictures rendered to {folder}")


def check(folder: Path) -> int:
    pictures = json.loads((folder / "pictures.json").read_text(encoding="utf-8"))
    differ = []
    count = 0
    for name, picture in pictures.items():
        for kind, text in outputs(picture).items():
            count += 1
            if (folder / f"{name}.{kind}").read_text(encoding="utf-8") != text:
                differ.append(f"{name}.{kind}")
    print(f"{len(pictures)} pictures, {count} renderings compared, {len(differ)} differ")
    for name in differ[:40]:
        print("  differs:", name)
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("render", "check"))
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    if args.command == "render":
        render(args.folder)
        return 0
    return check(args.folder)


if __name__ == "__main__":
    raise SystemExit(main())
