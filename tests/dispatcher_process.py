"""A dispatcher in its own process, for the crash test: `python -m tests.dispatcher_process URL PORT`.

It sends through a real SMTP server and pauses after each send, before marking it sent, so a
SIGKILL is likely to land between the two: the worst moment for a crash.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

from planner.db import make_engine
from planner.mail import Email, SMTPMailer
from planner.services.outbox import DispatchSettings, dispatch_all, dispatcher_session
from tests.outbox_world import plain_compose


class PausingMailer(SMTPMailer):
    def send(self, email: Email) -> None:
        super().send(email)
        time.sleep(0.01)


def main(url: str, port: int) -> None:
    mailer = PausingMailer("127.0.0.1", port, security="none")
    with dispatcher_session(make_engine(url)) as session:
        dispatch_all(
            session,
            mailer,
            plain_compose,
            lambda: datetime.now(UTC),
            DispatchSettings(batch_size=50),
            me="doomed-dispatcher",
        )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
