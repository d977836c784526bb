#!/bin/sh
# Writes the seed corpus for tx_decoder_fuzz into DIR (one binary file per transaction), built at
# run time from the shared vectors: the cardano-cli golden transactions, and every Trezor-derived
# body wrapped as an unsigned transaction [body, {}, true, null].
# Usage: make_corpus.sh DIR   (STAKEWARD_SHARED_DIR defaults to ../shared next to the repository)
set -eu
out="${1:?usage: make_corpus.sh DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
shared="${STAKEWARD_SHARED_DIR:-$here/../../../shared}"
mkdir -p "$out"
python3 - "$shared" "$out" <<'PY'
import json, os, sys
shared, out = sys.argv[1], sys.argv[2]
seeds = []
cli = json.load(open(os.path.join(shared, "vectors/cardano/cli_golden_transactions.json")))
for key in ("signed_tx", "reg_cert_tx_unsigned", "treasury_donation_tx"):
    seeds.append(cli[key]["cborHex"])
trezor = json.load(open(os.path.join(shared, "vectors/trezor/cardano_tx_bodies_derived.json")))
for body in trezor["bodies"]:
    seeds.append("84" + body["tx_body_cbor_hex"] + "a0f5f6")
for i, h in enumerate(seeds):
    with open(os.path.join(out, "seed_%02d.bin" % i), "wb") as f:
        f.write(bytes.fromhex(h))
print("wrote %d seeds to %s" % (len(seeds), out))
PY
