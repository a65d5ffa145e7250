"""What a web worker builds before its first request, so that no visitor waits for it.

Jinja compiles a template the first time a page renders it: the 94 templates take about half a
second of CPU in all, of which a worker's first view of the program builder paid about 270 ms
and its first phone page about 180 ms (bench/pages.py, the "first" column). The handout's fonts
are read and registered with reportlab once per process: about 75 ms of the first handout.
gunicorn.conf.py calls `warm_worker` once in each worker, after the app is loaded and before it
takes requests (and before it freezes what it holds from the garbage collector). Tests and `flask run` do not:
there a template is compiled, and the fonts read, when a page first asks, as before.
"""

from __future__ import annotations

from flask import Flask

from planner.handouts.styles import register_fonts


def warm_worker(app: Flask) -> None:
    """Compile every template of the app into its Jinja environment's cache and register the
    handout's fonts (each once per process)."""
    env = app.jinja_env
    for name in env.list_templates():
        env.get_template(name)
    register_fonts()
