#!/usr/bin/env bash
# Rebuilds data/sample/*.tkr from QuantConnect Lean's sample data in ../shared/data (Apache License 2.0).
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-../shared/data}
out=data/sample
rm -f "$out"/*.tkr
engine() { node --import tsx engine/cli/main.ts "$@"; }
for day in 20140505 20140506 20140507; do
  engine import "$src/fxcm-eurusd/${day}_quote.zip" --preset fx-quote -i EURUSD.FXCM -o "$out/eurusd-fxcm-quotes.tkr"
done
engine import "$src/equity-ibm/20131007_quote.zip" --preset equity-quote -i IBM.US -o "$out/ibm-20131007.tkr"
engine import "$src/equity-ibm/20131007_trade.zip" --preset equity-trade -i IBM.US -o "$out/ibm-20131007-trades.tkr"
engine import "$src/coinbase-btcusd/20180404_minute_trade.zip" --preset crypto-trade-bar -i BTCUSD.COINBASE -o "$out/btcusd-coinbase-20180404-bars.tkr"
ls -l "$out"
