"""A Parquet run read with pandas (pyarrow): each home's energy cost, grid import and P2P balance,
and the community's hourly import profile.

    npx wattswap run --format parquet --out runs/demo-parquet
    pip install pandas pyarrow
    python examples/parquet_pandas.py runs/demo-parquet
"""
import json
import sys
from pathlib import Path

import pandas as pd

run = Path(sys.argv[1] if len(sys.argv) > 1 else "runs/baseline-summer-seed42")
timeline = pd.read_parquet(run / "timeline.parquet")  # one row per home per interval
trades = pd.read_parquet(run / "trades.parquet")
summary = json.loads((run / "summary.json").read_text())  # summary.json stays JSON

print(f"{summary['run']['scenario']}, seed {summary['run']['seed']}: savings {summary['display']['savings']} ({summary['display']['savings_percent']})")

timeline["p2p_net_bought_kwh"] = timeline["p2p_bought_kwh"] - timeline["p2p_sold_kwh"]
per_home = timeline.groupby("household_id", observed=True)[["energy_cost_usd", "grid_import_kwh", "p2p_net_bought_kwh"]].sum()
print(per_home.round(2))

# `start` is ISO 8601 with the Pacific offset: parse it in the run's time zone
timeline["local_hour"] = pd.to_datetime(timeline["start"].astype(str), utc=True).dt.tz_convert("America/Los_Angeles").dt.hour
print(timeline.groupby("local_hour")["grid_import_kwh"].sum().round(2).rename("community import kWh"))

print(trades.groupby(["seller", "buyer"], observed=True)["delivered_kwh"].agg(["count", "sum"]).sort_values("sum", ascending=False).head())
