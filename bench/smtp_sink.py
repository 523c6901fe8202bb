"""A loopback SMTP sink for benchmarks: accepts everything and remembers what it accepted.

    python bench/smtp_sink.py PORT

Runs aiosmtpd on 127.0.0.1:PORT, prints ``ready`` once listening, then answers one command
per line on stdin with one JSON line on stdout:

    stats        {"accepted", "unique_message_ids", "unique_recipients", "first", "last",
                  "cpu_seconds"} (first/last: wall-clock accept times, seconds since the
                 epoch; cpu_seconds: the sink's own CPU time so far)
    recipients   {"recipients": [...]} — every distinct RCPT TO seen
    accepted_at  {"accepted_at": {recipient: time}} — when each recipient's first message
                 was accepted (seconds since the epoch)
    dump PATH    writes every accepted message as (mail_from, rcpt_tos, bytes) to PATH
                 (pickle), for a baseline that resends the very same messages
    reset        forgets everything
    quit         stops

Message-IDs are read from the header block with a byte search, not a full parse, so the
sink spends its time on SMTP, as a real server would.
"""

import json
import pickle
import re
import sys
import threading
import time
from typing import Any

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.accepted = 0
        self.message_ids: set[bytes] = set()
        self.recipients: set[str] = set()
        self.first = 0.0
        self.last = 0.0
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.accepted_at: dict[str, float] = {}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.time()
        content: bytes = envelope.original_content or envelope.content
        headers = content.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(headers)
        with self.lock:
            self.accepted += 1
            if not self.first:
                self.first = now
            self.last = now
            self.message_ids.add(found.group(1) if found else b"<missing-%d>" % self.accepted)
            self.recipients.update(envelope.rcpt_tos)
            for recipient in envelope.rcpt_tos:
                self.accepted_at.setdefault(recipient, now)
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), content))
        return "250 OK"

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                "accepted": self.accepted,
                "unique_message_ids": len(self.message_ids),
                "unique_recipients": len(self.recipients),
                "first": self.first,
                "last": self.last,
                "cpu_seconds": time.process_time(),
            }


def main() -> None:
    port = int(sys.argv[1])
    recorder = Recorder()
    controller = Controller(
        recorder, hostname="127.0.0.1", port=port, decode_data=False, data_size_limit=0
    )
    controller.start()
    print("ready", flush=True)
    try:
        for line in sys.stdin:
            command, _, argument = line.strip().partition(" ")
            answer: dict[str, Any]
            if command == "stats":
                answer = recorder.stats()
            elif command == "recipients":
                with recorder.lock:
                    answer = {"recipients": sorted(recorder.recipients)}
            elif command == "accepted_at":
                with recorder.lock:
                    answer = {"accepted_at": dict(recorder.accepted_at)}
            elif command == "dump":
                with recorder.lock, open(argument, "wb") as file:
                    pickle.dump(recorder.messages, file, protocol=pickle.HIGHEST_PROTOCOL)
                answer = {"dumped": len(recorder.messages)}
            elif command == "reset":
                with recorder.lock:
                    recorder.reset()
                answer = {"reset": True}
            elif command == "quit":
                break
            else:
                answer = {"error": f"unknown command {command!r}"}
            print(json.dumps(answer), flush=True)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
