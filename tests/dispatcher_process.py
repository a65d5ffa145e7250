"""A dispatcher in its own process, for the crash test: `python -m tests.dispatcher_process URL PORT STOP_AT`.

It sends through a real SMTP server. After its STOP_AT-th message is handed over, before that row
is marked sent (the worst moment for a crash), it writes "sent STOP_AT <row id>" on standard
output and waits on standard input for ever: the test kills it there, whatever the machine's load,
instead of racing a running dispatcher with a clock.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from planner.db import make_engine
from planner.mail import Email, SMTPMailer
from planner.services.outbox import DispatchSettings, dispatch_all, dispatcher_session
from tests.outbox_world import plain_compose


class StoppingMailer(SMTPMailer):
    def __init__(self, port: int, stop_at: int) -> None:
        super().__init__("127.0.0.1", port, security="none")
        self.stop_at, self.handed_over = stop_at, 0

    def send(self, email: Email) -> None:
        super().send(email)
        self.handed_over += 1
        if self.handed_over == self.stop_at:
            print(f"sent {self.handed_over} {email.message_id}", flush=True)
            sys.stdin.read()  # until killed (or the test's end closes the pipe)
            raise SystemExit("not killed")


def main(url: str, port: int, stop_at: int) -> None:
    mailer = StoppingMailer(port, stop_at)
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
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
