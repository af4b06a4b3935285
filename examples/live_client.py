"""Python client of the live server (`wattswap serve`): starts a run over REST, follows it on the
socket.io stream, then fetches the summary and the first page of the timeline over REST.

    npx wattswap serve                          # http://127.0.0.1:8080
    pip install requests "python-socketio[client]"
    python examples/live_client.py http://127.0.0.1:8080 heatwave-2022

Routes and events: the README's "Live demo" section and http://127.0.0.1:8080/docs. A server off
loopback needs its token: set WATTSWAP_TOKEN.
"""
import os
import sys
import threading

import requests
import socketio

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
scenario = sys.argv[2] if len(sys.argv) > 2 else "baseline-summer"
token = os.environ.get("WATTSWAP_TOKEN")
headers = {"Authorization": f"Bearer {token}"} if token else {}

known = [s["name"] for s in requests.get(f"{base}/api/scenarios").json()["scenarios"]]
print(f"scenarios: {', '.join(known)}")

# speed: intervals per second for viewers (0 = as fast as the engine runs)
created = requests.post(f"{base}/api/runs", json={"scenario": scenario, "seed": 42, "speed": 24}, headers=headers)
if created.status_code != 201:
    sys.exit(f"{created.status_code} {created.json()['code']}: {created.json()['message']}")
run_id = created.json()["id"]
print(f"run {run_id} started")

finished = threading.Event()
sio = socketio.Client()


def joined(ack):
    if not ack["ok"]:
        print(f"join refused: {ack['error']}")
        finished.set()


@sio.event
def connect():
    sio.emit("join", run_id, callback=joined)


@sio.on("snapshot")
def snapshot(s):
    print(f"joined at interval {len(s['ticks'])} of {s['run']['progress']['intervals']}")


@sio.on("tick")
def tick(t):
    if t["index"] % 8 == 0 or t["index"] == t["intervals"] - 1:
        running = t["running"]
        print(f"{t['start']}  signal ${t['price_signal_usd_per_kwh']:.3f}/kWh  trades so far {running['trades']}  energy saved ${running['energy_savings_usd']:.2f}")


@sio.on("summary")
def summary(message):
    print(f"done: savings {message['summary']['display']['savings']} ({message['summary']['display']['savings_percent']})")
    finished.set()


@sio.on("status")
def status(s):
    if s["status"] in ("failed", "cancelled"):
        print(f"run {s['status']}")
        finished.set()


sio.connect(base)
finished.wait()
sio.disconnect()

summary_json = requests.get(f"{base}/api/runs/{run_id}/summary").json()  # equal to summary.json
page = requests.get(f"{base}/api/runs/{run_id}/timeline", params={"offset": 0, "limit": 48}).json()
print(f"baseline ${summary_json['baseline_pge_cost']:.2f} -> ${summary_json['optimized_cost']:.2f}; timeline page: {len(page['intervals'])} of {page['total']} intervals")
