"""A minimal SMTP server for CI: accepts every message and writes it to a folder.

The production stage runs with DEBUG off, where console e-mail is refused; this gives it a
real SMTP peer (Django's smtp backend, no TLS) and lets the tests read what was sent.

    python .ci/smtp_sink.py --port 8125 --dir /tmp/courriels
"""

import argparse
import socketserver
import uuid
from pathlib import Path


class Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 atelier-ci ESMTP")
        data: list[bytes] | None = None
        while raw := self.rfile.readline():
            if data is not None:
                if raw in (b".\r\n", b".\n"):
                    name = f"{uuid.uuid4().hex}.eml"
                    (self.server.folder / name).write_bytes(b"".join(data))
                    data = None
                    self.reply("250 OK")
                else:
                    data.append(raw[1:] if raw.startswith(b"..") else raw)
                continue
            verb = raw.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-atelier-ci")
                self.reply("250 8BITMIME")
            elif verb == "DATA":
                data = []
                self.reply("354 End data with <CR><LF>.<CR><LF>")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.reply("250 OK")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    with Server(("127.0.0.1", args.port), Handler) as server:
        server.folder = args.dir
        server.serve_forever()


if __name__ == "__main__":
    main()
