"""The movement in motion: one panel that goes from the start pose to the end pose and back.

A second rendering of the same picture, beside the still start and end panels, never instead of
them. Each frame is the view's own drawing of a pose between start and end (angles and slides
interpolated, so an arm swings round its shoulder rather than shrinking through it), fitted into
the start panel exactly as the still picture fits it. The first frame is the still start panel
and the last the still end panel, shape for shape.

The SVG moves by SMIL <animate> elements: markup, not script, so it plays under the strict
Content-Security-Policy and without JavaScript. It cannot hear prefers-reduced-motion: the page
hides it with a CSS media query and keeps the stills. Where a browser has no SMIL the figure
simply stands in the start pose.

Timing (`Pace`): a rest in the start pose, a slow move out, the hold in the end pose (the
dosage's hold, so a 5-second hold pauses 5 seconds), the same slow move back.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from xml.sax.saxutils import escape

from . import face, front_pose, hand, profile, side_pose
from .compose import (
    BUILDERS,
    MIRROR_MARKED,
    Layout,
    corner_on_the_left,
    corner_symbol,
    figure_symbol,
    fitted,
    mirror_mark,
)
from .render import _attr, _n, svg_element, svg_points
from .shapes import FRAME, Shape, haloed, line, rect, round_shape
from .spec import Picture, Pose, is_number, normalize
from .view import ViewDrawing

STEPS = 8  # frames from start to end; the browser interpolates between them
MOVE_SECONDS = 2.5  # each way: slow and controlled, as the steps ask
REST_SECONDS = 1.0  # in the start pose before each repetition
MIN_HOLD, MAX_HOLD = 0.8, 10.0  # a longer hold is still shown as 10 s, so the movement comes round again

# The values each view fills in for a key a pose leaves out (a sitting knee is bent 90 degrees).
_FILLED: dict[str, Callable[[Pose], dict[str, Any]]] = {
    "side": lambda pose: side_pose.values(pose).angles,
    "front": lambda pose: front_pose.values(pose).filled(),
    "face": face.filled,
    "profile": profile.filled,
    "hand": hand.filled,
}


@dataclass(frozen=True)
class Pace:
    """Seconds of one repetition: rest in the start pose, move out, hold the end pose, move back."""

    rest: float = REST_SECONDS
    move: float = MOVE_SECONDS
    hold: float = MIN_HOLD

    @classmethod
    def of(cls, hold_seconds: float | None) -> Pace:
        """The pace of a dosage: its hold (seconds; None or 0 for a brief pause), kept within 0.8–10 s."""
        hold = float(hold_seconds or 0)
        return cls(hold=min(max(hold, MIN_HOLD), MAX_HOLD))

    @property
    def total(self) -> float:
        return self.rest + 2 * self.move + self.hold

    def timeline(self, steps: int = STEPS) -> list[tuple[float, int]]:
        """(seconds, frame index) of every key frame of one repetition, from 0 to `total`."""
        out = [(0.0, 0), (self.rest, 0)]
        out += [(self.rest + self.move * i / steps, i) for i in range(1, steps + 1)]
        back = self.rest + self.move + self.hold
        out += [(back, steps)] + [(back + self.move * i / steps, steps - i) for i in range(1, steps + 1)]
        return out


# A chair rise (or sitting down) is drawn on the feet all the way, so the figure rises off the seat
# instead of jumping from sitting to standing half-way.
_BETWEEN_BASES = {frozenset(("sitting", "standing")): "standing"}


def pose_between(view: str, start: Pose, end: Pose, t: float) -> Pose:
    """The pose a fraction t (0..1) of the way from start to end.

    Numbers (angles, slides) move evenly; words (eyes open or closed, a hand shape) change half-way.
    """
    filled0, filled1 = _FILLED[view](start), _FILLED[view](end)
    pose = dict(end if t > 0.5 else start)
    for key in set(start) | set(end):
        a, b = start.get(key, filled0.get(key)), end.get(key, filled1.get(key))
        if a != b and is_number(a) and is_number(b):
            pose[key] = a + (b - a) * t
    bases = frozenset((start.get("base"), end.get("base")))
    if view == "side" and 0 < t < 1 and bases in _BETWEEN_BASES:
        pose["base"] = _BETWEEN_BASES[bases]
        for key in ("hip", "knee"):  # the seat's bend, now given, since the base no longer fills it in
            for s in "rl":
                k = f"{key}_{s}"
                pose[k] = filled0[k] + (filled1[k] - filled0[k]) * t
    return pose


@dataclass(frozen=True)
class _Drawn:
    """A normalized picture, its view's drawing of both poses and their fit."""

    pic: Picture
    res: ViewDrawing
    fit: Layout
    mirror: bool

    @classmethod
    def of(cls, picture: Any, side_: str) -> _Drawn:
        pic = normalize(picture)
        return cls(pic, *fitted(pic), side_ == "left")


def frames(drawn: _Drawn, steps: int = STEPS) -> list[list[Shape]]:
    """The start panel's shapes at `steps` + 1 poses from start to end (eased: slow at both ends).

    Frame 0 is the still picture's start panel and the last frame its end panel drawn in the start
    panel's place, shape for shape (the motion arrow and symbols left out: the motion shows them).
    """
    pic, res, fit, mirror = drawn.pic, drawn.res, drawn.fit, drawn.mirror
    view, start, end = pic.view, pic.start, pic.end
    first, last = res.start, res.end
    # What both key poses draw alike (the chair, the wall, a leg that does not move) stays exactly
    # where the stills have it: a view places props from both poses, and would shift them a little
    # for a pose in between.
    still = (
        {n for n, (a, b) in enumerate(zip(first, last, strict=False)) if a == b} if len(first) == len(last) else set()
    )
    # Only words change (a hand that closes, eyes that open) and both drawings have the same shapes:
    # the shapes themselves morph from one to the other.
    morph = [_look(s) for s in first] == [_look(s) for s in last] and all(
        pose_between(view, start, end, 0.25) == pose_between(view, start, end, x) for x in (0.0, 0.5)
    )
    out = []
    for i in range(steps + 1):
        t = (1 - math.cos(math.pi * i / steps)) / 2
        if i in (0, steps):
            shapes = first if i == 0 else last
        elif morph:
            shapes = [_blend(a, b, t) for a, b in zip(first, last, strict=True)]
        else:
            shapes = BUILDERS[view](replace(pic, end=pose_between(view, start, end, t))).end
            if len(shapes) == len(first):
                shapes = [first[n] if n in still and _look(s) == _look(first[n]) else s for n, s in enumerate(shapes)]
        out.append([round_shape(s) for s in fit.place(shapes, 0, mirror)])
    return out


def _blend(a: Shape, b: Shape, t: float) -> Shape:
    """Shape a moved a fraction t of the way to shape b (same kind and number of points)."""
    points = tuple(
        (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for (x0, y0), (x1, y1) in zip(a.points, b.points, strict=True)
    )
    return replace(a, points=points, rx=a.rx + (b.rx - a.rx) * t, ry=a.ry + (b.ry - a.ry) * t)


def backdrop(drawn: _Drawn) -> list[Shape]:
    """The start panel's frame and floor line, and the mirror mark, as the still picture draws them."""
    res, fit = drawn.res, drawn.fit
    px0, py0, px1, py1 = fit.panel(0)
    out = [rect((px0, py0), (px1, py1), fill="#ffffff", stroke=FRAME, width=1.5, r=6)]
    if fit.floor is not None and res.floor_line:
        fy = fit.to_panel(0, drawn.mirror)((0.0, fit.floor))[1]
        out.append(line([(px0 + 5, fy), (px1 - 5, fy)], stroke="#adb5bd", width=2.5))
    if "mirror" in drawn.pic.props and drawn.pic.view in MIRROR_MARKED:
        out += mirror_mark(fit.panel(0))
    return [round_shape(s) for s in out]


def marks(drawn: _Drawn) -> list[Shape]:
    """What the still end panel marks besides the pose, placed on the start panel: the hold clock,
    breathing, voice or swallowing, and the push of a press. (A motion arrow is left out: the
    movement itself shows it.) The moving picture shows them while the end pose is held."""
    pic, res, fit = drawn.pic, drawn.res, drawn.fit
    shapes = figure_symbol(pic.symbol, res.anchors)
    if pic.press or res.start == res.end:  # nothing moves: the arrow is the push, or the point
        shapes += res.arrow
    out = haloed(fit.place(shapes, 0, drawn.mirror))
    out += corner_symbol(
        pic.symbol or ("hold" if pic.press else None), fit.panel(0), corner_on_the_left(pic, res, fit, drawn.mirror)
    )
    return [round_shape(s) for s in out]


def geometry(s: Shape) -> dict[str, str]:
    """The SVG attributes that place a shape (what an <animate> may change), as written."""
    if s.kind in ("line", "poly"):
        return {"points": svg_points(s.points)}
    (x, y) = s.points[0]
    if s.kind == "circle":
        return {"cx": _n(x), "cy": _n(y), "r": _n(s.rx)}
    if s.kind == "ellipse":
        return {"cx": _n(x), "cy": _n(y), "rx": _n(s.rx), "ry": _n(s.ry)}
    if s.kind == "rect":
        (bx, by) = s.points[1]
        return {"x": _n(min(x, bx)), "y": _n(min(y, by)), "width": _n(abs(bx - x)), "height": _n(abs(by - y))}
    return {"x": _n(x), "y": _n(y)}


def _look(s: Shape) -> tuple[object, ...]:
    """Everything about a shape but where it is: frames that agree on it can be interpolated."""
    return (s.kind, len(s.points), s.stroke, s.fill, s.width, s.dash, s.text, s.size, s.anchor, s.bold)


def runs(frames_: list[list[Shape]]) -> list[tuple[int, int]]:
    """(first, last) frame index of each stretch of frames drawn with the same shapes in the same order.

    Most movements are one run. A head turning far enough to hide an eye, or eyes that close,
    start a new run: the browser cannot morph one shape into another, so the runs take turns.
    """
    out: list[tuple[int, int]] = []
    for i, frame in enumerate(frames_):
        if out and [_look(s) for s in frame] == [_look(s) for s in frames_[out[-1][1]]]:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def render_motion_svg(
    picture: Any, side: str = "right", width: float = 360, pace: Pace | None = None, title: str | None = None
) -> str:
    """The movement as an inline, self-animating <svg> of the start panel (no script, nothing fetched).

    side: "left" mirrors it; width: CSS pixels; pace: the dosage's timing (Pace.of(hold_seconds)).
    The SVG carries class "motion" and data-seconds (one repetition), for the page and its tests.
    """
    pace = pace or Pace()
    title = title or "The movement, from start to end and back"
    drawn = _Drawn.of(picture, side)
    frames_ = frames(drawn)
    timeline = pace.timeline(len(frames_) - 1)
    dur = f'dur="{_n(pace.total)}s" repeatCount="indefinite"'
    key_times = ";".join(_time(t / pace.total) for t, _ in timeline)
    px0, py0, px1, py1 = drawn.fit.panel(0)
    vw, vh = px1 + px0, py1 + py0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="motion" viewBox="0 0 {_n(vw)} {_n(vh)}"'
        f' width="{_n(width)}" height="{_n(width * vh / vw)}" role="img" aria-label="{_attr(title)}"'
        f' data-seconds="{_n(pace.total)}">',
        f"<title>{escape(title)}</title>",
        '<g stroke-linecap="round" stroke-linejoin="round">',
    ]
    out += [svg_element(s) for s in backdrop(drawn)]
    placed = [[geometry(s) for s in frame] for frame in frames_]
    stretches = runs(frames_)
    for first, last in stretches:
        shown = [first <= i <= last for _, i in timeline]
        if len(stretches) > 1:
            out.append(f'<g opacity="{1 if first == 0 else 0}">{_fade(timeline, shown, dur)}')
        for n, shape in enumerate(frames_[first]):
            values = [placed[min(max(i, first), last)][n] for _, i in timeline]
            animates = "".join(
                f'<animate attributeName="{name}" values="{";".join(v[name] for v in values)}"'
                f' keyTimes="{key_times}" {dur}/>'
                for name in values[0]
                if any(v[name] != values[0][name] for v in values)
            )
            out.append(svg_element(shape, animates))
        if len(stretches) > 1:
            out.append("</g>")
    shown_marks = marks(drawn)
    if shown_marks:  # they come in with the end pose and go with it
        steps = len(frames_) - 1
        strength = ";".join(_n(i / steps) for _, i in timeline)
        out.append(
            f'<g class="marks" opacity="0"><animate attributeName="opacity" values="{strength}"'
            f' keyTimes="{key_times}" {dur}/>'
        )
        out += [svg_element(s) for s in shown_marks]
        out.append("</g>")
    out.append("</g></svg>")
    return "\n".join(out)


def _fade(timeline: list[tuple[float, int]], shown: list[bool], dur: str) -> str:
    """An <animate> of opacity that shows a run on its frames and fades it across the step to the
    next run, while that run fades in: one picture turns into the next instead of jumping."""
    values = ";".join("1" if v else "0" for v in shown)
    times = ";".join(_time(t / timeline[-1][0]) for t, _ in timeline)
    return f'<animate attributeName="opacity" values="{values}" keyTimes="{times}" {dur}/>'


def _time(fraction: float) -> str:
    return f"{round(fraction, 4):g}"
