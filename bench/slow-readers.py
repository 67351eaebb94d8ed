#!/usr/bin/env python3
"""A crowd of slow readers for bench/crowd.sh: COUNT connections, spread over source
addresses 127.0.0.2 and up (PER_ADDRESS each, under the server's per-client limit), each
asking for PATH and then reading 64 bytes a second. Runs for SECONDS, then prints one line:

    CROWD opened=N refused=N answered=N closed_by_server=N

`closed_by_server` counts connections the server ended before the crowd let go of them
(a response it gave up writing to a reader that would not take it, or an idle close).

    bench/slow-readers.py PORT PATH COUNT SECONDS [PER_ADDRESS]
"""
import selectors
import socket
import sys
import time

port, path, count, seconds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
per_address = int(sys.argv[5]) if len(sys.argv) > 5 else 20
selector = selectors.DefaultSelector()
opened = refused = answered = closed = 0
request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n\r\n".encode()
for number in range(count):
    source = f"127.0.0.{2 + number // per_address}"
    connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # A small receive window, as a phone on a poor network advertises.
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        connection.bind((source, 0))
        connection.connect(("127.0.0.1", port))
        connection.sendall(request)
    except OSError:
        refused += 1
        connection.close()
        continue
    connection.setblocking(False)
    opened += 1
    selector.register(connection, selectors.EVENT_READ, {"first": True})
deadline = time.monotonic() + seconds
while time.monotonic() < deadline and selector.get_map():
    for key, _ in selector.select(timeout=1.0):
        try:
            data = key.fileobj.recv(64)
        except OSError:
            data = b""
        if not data:
            closed += 1
            selector.unregister(key.fileobj)
            key.fileobj.close()
            continue
        if key.data["first"]:
            key.data["first"] = False
            answered += 1
    # 64 bytes a second per connection: leave the sockets alone until the next second.
    time.sleep(1.0)
print(f"CROWD opened={opened} refused={refused} answered={answered} closed_by_server={closed}", flush=True)
