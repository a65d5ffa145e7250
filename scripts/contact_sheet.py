"""Render every exercise picture onto one contact sheet, to look at them all at once.

    .venv/bin/python scripts/contact_sheet.py -o build/contact.pdf            # all exercises
    .venv/bin/python scripts/contact_sheet.py -o /tmp/s.pdf exercises/bridge.toml --html /tmp/s.html
    .venv/bin/python scripts/contact_sheet.py -o /tmp/read.pdf --steps    # each picture beside its steps

Writes a multi-page PDF grid (the reportlab drawing, the id and the name in each cell), then
PNG pages next to it with `pdftoppm -png -r 60` (poppler-utils). --html writes one page with
every picture as inline SVG, to check the SVG path in a browser. --steps puts one exercise on
a row with its numbered steps beside the picture, to read each picture as a therapist does.
Pictures that fail validate_picture are marked in red with their problems.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.graphics import renderPDF  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.utils import simpleSplit  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from planner.catalog.figure import render_drawing, render_svg, validate_picture  # noqa: E402


def load(paths: list[Path]) -> list[dict]:
    items = []
    for path in paths:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            data = {"name": f"unreadable: {exc}"}
        picture = data.get("picture", {})
        items.append(
            {
                "id": data.get("id", path.stem),
                "name": data.get("name", ""),
                "picture": picture,
                "steps": data.get("steps", []),
                "problems": validate_picture(picture),
            }
        )
    return items


def write_pdf(items: list[dict], out: Path, side: str, cols: int = 3, rows: int = 5) -> None:
    page_w, page_h = A4
    margin = 24.0
    cell_w = (page_w - 2 * margin) / cols
    cell_h = (page_h - 2 * margin) / rows
    canvas = Canvas(str(out), pagesize=A4, invariant=1)
    canvas.setTitle("Exercise pictures")
    per_page = cols * rows
    for i, item in enumerate(items):
        if i and i % per_page == 0:
            canvas.showPage()
        n = i % per_page
        x = margin + (n % cols) * cell_w
        y = page_h - margin - (n // cols + 1) * cell_h
        drawing = render_drawing(item["picture"], side=side, width=cell_w - 8)
        renderPDF.draw(drawing, canvas, x + 4, y + cell_h - drawing.height - 4)
        ty = y + cell_h - drawing.height - 16
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont("Helvetica-Bold", 8)
        canvas.drawString(x + 6, ty, item["id"][:48])
        canvas.setFont("Helvetica", 8)
        canvas.drawString(x + 6, ty - 10, item["name"][:52])
        canvas.setFillColorRGB(0.75, 0, 0)
        for k, (path, msg) in enumerate(item["problems"][:3]):
            canvas.drawString(x + 6, ty - 20 - 9 * k, f"{path}: {msg}"[:60])
    canvas.save()


def write_steps_pdf(items: list[dict], out: Path, side: str, rows: int = 6) -> None:
    """One exercise a row: the picture on the left, its id, name and numbered steps on the right.

    Six rows a page: a row is then taller than a 2:1 picture with its labels (with seven, each
    row's "Start" and "End" were covered by the next row's panels)."""
    page_w, page_h = A4
    margin, pic_w = 24.0, 250.0
    row_h = (page_h - 2 * margin) / rows
    text_x, text_w = margin + pic_w + 10, page_w - 2 * margin - pic_w - 10
    canvas = Canvas(str(out), pagesize=A4, invariant=1)
    canvas.setTitle("Exercise pictures beside their steps")
    for i, item in enumerate(items):
        if i and i % rows == 0:
            canvas.showPage()
        y = page_h - margin - (i % rows + 1) * row_h
        drawing = render_drawing(item["picture"], side=side, width=pic_w)
        renderPDF.draw(drawing, canvas, margin, y + row_h - drawing.height - 4)
        ty = y + row_h - 12
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont("Helvetica-Bold", 8.5)
        canvas.drawString(text_x, ty, f"{item['id']}: {item['name']}"[:70])
        canvas.setFont("Helvetica", 7.5)
        for n, step in enumerate(item["steps"], 1):
            for k, chunk in enumerate(simpleSplit(f"{n}. {step}", "Helvetica", 7.5, text_w)):
                ty -= 9
                canvas.drawString(text_x + (8 if k else 0), ty, chunk)
        canvas.setFillColorRGB(0.75, 0, 0)
        for path, msg in item["problems"][:2]:
            ty -= 9
            canvas.drawString(text_x, ty, f"{path}: {msg}"[:80])
    canvas.save()


def write_png(pdf: Path, dpi: int) -> list[Path]:
    if not shutil.which("pdftoppm"):
        print("pdftoppm not found: no PNG written", file=sys.stderr)
        return []
    prefix = pdf.with_suffix("")
    for old in pdf.parent.glob(f"{prefix.name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True)
    return sorted(pdf.parent.glob(f"{prefix.name}-*.png"))


def write_html(items: list[dict], out: Path, side: str) -> None:
    cells = []
    for item in items:
        svg = render_svg(item["picture"], side=side, width=380, title=item["name"] or item["id"])
        problems = "".join(f"<li>{html.escape(p)}: {html.escape(m)}</li>" for p, m in item["problems"])
        cells.append(
            f"<figure>{svg}<figcaption><b>{html.escape(item['id'])}</b><br>"
            f"{html.escape(item['name'])}<ul>{problems}</ul></figcaption></figure>"
        )
    out.write_text(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Exercise pictures</title>"
        "<style>body{font-family:sans-serif;display:flex;flex-wrap:wrap;gap:12px}"
        "figure{margin:0;width:380px}figcaption{font-size:13px}ul{color:#b00;margin:0}"
        "</style>" + "\n".join(cells) + "</html>\n",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path, help="exercise TOML files (default: all)")
    ap.add_argument("-o", "--output", type=Path, default=Path("build/contact_sheet.pdf"))
    ap.add_argument("--html", type=Path, help="also write an HTML page of SVGs here")
    ap.add_argument("--side", choices=("right", "left"), default="right")
    ap.add_argument("--dpi", type=int, default=60, help="PNG resolution (pdftoppm -r)")
    ap.add_argument("--cols", type=int, default=3)
    ap.add_argument("--steps", action="store_true", help="one exercise a row, its steps beside the picture")
    args = ap.parse_args(argv)
    files = args.files or sorted((ROOT / "exercises").glob("*.toml"))
    items = load(files)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if args.steps:
        write_steps_pdf(items, args.output, args.side)
    else:
        write_pdf(items, args.output, args.side, cols=args.cols, rows=max(2, args.cols + 2))
    pngs = write_png(args.output, args.dpi)
    print(f"{args.output} ({len(items)} pictures, {len(pngs)} PNG pages)")
    if args.html:
        write_html(items, args.html, args.side)
        print(args.html)
    bad = [i for i in items if i["problems"]]
    for item in bad:
        for path, msg in item["problems"]:
            print(f"{item['id']}: {path}: {msg}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
