"""gunicorn's settings for the planner: read by gunicorn started in this folder (the README's
deployment, bench/pages.py); options on the command line still win.

Garbage collection. A worker holds some 150,000 objects once the app is loaded, and about
230,000 once its first pages have filled the caches (compiled templates and statements, the
catalog's pictures). Python's full collection walks all of them: 100-300 ms in which the worker
answers no one, about once every 700 pages, which is what the slowest 1 % of requests wait
for under load. Frozen (gc.freeze), they are left out of every collection; they live as long
as the worker anyway. So a worker freezes what it holds after loading the app (and compiling its
templates: planner/web/warm.py), and again after its first WARM_REQUESTS requests. What a request
leaves behind is collected as before.
"""

from __future__ import annotations

import gc
from typing import Any

WARM_REQUESTS = 100


def post_worker_init(worker: Any) -> None:
    # The templates compiled before the first request (planner/web/warm.py says why), then frozen.
    from flask import Flask

    from planner.web.warm import warm_worker

    if isinstance(worker.wsgi, Flask):
        warm_worker(worker.wsgi)
    gc.freeze()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:  # noqa: ARG001
    # After the answer is sent; once per worker.
    if worker.nr == WARM_REQUESTS:
        gc.freeze()
