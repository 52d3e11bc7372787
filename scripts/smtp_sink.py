#!/usr/bin/env python3
"""A real SMTP server for tests that keeps every message it receives.

Usage: ``python3 scripts/smtp_sink.py --port P --dir D [--host 127.0.0.1]``.

Each message becomes ``D/<n>.eml`` (n = 1, 2, ...), the DATA content exactly
as the client sent it (dot-unstuffed, CRLF line ends kept), and ``D/<n>.rcpt``,
the envelope recipients one per line. The ``.rcpt`` file is written first and
both are renamed into place from a temporary file, so a reader that sees
``<n>.eml`` sees a whole message and its recipients. Numbering continues after
the ``.eml`` files already in ``D``.

Prints ``ready`` on stdout once listening; exits with status 0 on SIGTERM or
SIGINT. Needs only ``aiosmtpd`` (``pip install aiosmtpd``).
"""

import argparse
import asyncio
import os
import pathlib
import signal

from aiosmtpd.smtp import SMTP


def write_atomically(path, data):
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class Sink:
    """aiosmtpd handler: accepts every message and writes it to the folder."""

    def __init__(self, folder):
        self.folder = folder
        self.count = len(list(folder.glob("*.eml")))

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        rcpt = "".join(f"{r}\n" for r in envelope.rcpt_tos).encode()
        write_atomically(self.folder / f"{self.count}.rcpt", rcpt)
        write_atomically(self.folder / f"{self.count}.eml", envelope.original_content)
        return "250 Message accepted for delivery"


async def serve(host, port, folder):
    loop = asyncio.get_running_loop()
    handler = Sink(folder)
    # A fixed hostname: the default, socket.getfqdn(), can stall on DNS.
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="smtp-sink", enable_SMTPUTF8=True), host, port
    )
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("ready", flush=True)
    await stop.wait()
    # Not wait_closed(): it would wait for clients that keep a connection open.
    server.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", type=pathlib.Path, required=True)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(serve(args.host, args.port, args.dir))


if __name__ == "__main__":
    main()
