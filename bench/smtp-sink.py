"""An SMTP server that accepts every message and counts them, for bench/mail.sh.

Usage: python smtp-sink.py PORT STATS_FILE. Every 0.2 s it writes
{"count": N, "first": T, "last": T} (wall-clock seconds of the first and latest message).
"""
import json, os, sys, threading, time
from aiosmtpd.controller import Controller

port, stats_file = int(sys.argv[1]), sys.argv[2]
state = {"count": 0, "first": None, "last": None}

class Sink:
    async def handle_DATA(self, server, session, envelope):
        now = time.time()
        state["count"] += 1
        state["first"] = state["first"] or now
        state["last"] = now
        return "250 2.0.0 Accepted"

def write_stats():
    while True:
        with open(stats_file + ".tmp", "w") as f:
            json.dump(state, f)
        os.replace(stats_file + ".tmp", stats_file)
        time.sleep(0.2)

controller = Controller(Sink(), hostname="127.0.0.1", port=port, enable_SMTPUTF8=True, data_size_limit=None)
controller.start()
threading.Thread(target=write_stats, daemon=True).start()
print("ready", flush=True)
while True:
    time.sleep(3600)
