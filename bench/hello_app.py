"""The bare Flask app bench/pages.py serves beside the planner, the same way, as the yardstick."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
