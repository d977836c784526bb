#!/usr/bin/env python3
"""`stakeward policy addresses` on the sample policy, checked as a user would.

Regression check (labelled so: both sides come from this project): the slot base addresses equal
the ones policy/samples/snapshot.json names for the sample signers. Independent checks: every
address is bech32 with the network's prefix, each base address embeds the payment script hash
and its slot's stake script hash (CIP-19 header 0x31/0x30: script payment, script stake), and
each script is cardano-cli simple-script JSON (atLeast of sig keyHash, threshold as in the policy).
Usage: policy_addresses_test.py BIN_DIR SOURCE_DIR
"""
import json
import subprocess
import sys

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bech32_data(addr):
    hrp, _, data = addr.rpartition("1")
    vals = [CHARSET.index(c) for c in data[:-6]]
    acc, bits, out = 0, 0, []
    for v in vals:
        acc = (acc << 5) | v
        bits += 5
        while bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    return hrp, bytes(out)


def main():
    bin_dir, src = sys.argv[1], sys.argv[2]
    r = subprocess.run([f"{bin_dir}/stakeward", "policy", "addresses",
                        f"{src}/policy/samples/policy.yaml", "--slots", "4", "--json"],
                       capture_output=True, text=True, check=False)
    if r.returncode != 0:
        sys.exit(f"stakeward failed: {r.stderr}")
    out = json.loads(r.stdout)
    snap = json.load(open(f"{src}/policy/samples/snapshot.json"))
    want = {s["index"]: s["address"] for s in snap["slots"]}
    pay = bytes.fromhex(out["payment_script_hash"])
    assert out["payment_script"]["type"] == "atLeast", out["payment_script"]
    assert out["payment_script"]["required"] == 2
    assert all(s["type"] == "sig" and len(s["keyHash"]) == 56
               for s in out["payment_script"]["scripts"])
    for s in out["slots"]:
        assert s["base_address"] == want[s["slot"]], (s["slot"], s["base_address"])
        hrp, raw = bech32_data(s["base_address"])
        assert hrp == "addr_test" and raw[0] == 0x30, (hrp, raw[0])
        assert raw[1:29] == pay and raw[29:57] == bytes.fromhex(s["stake_script_hash"])
        hrp, raw = bech32_data(s["reward_address"])
        assert hrp == "stake_test" and raw[0] == 0xF0 and raw[1:] == bytes.fromhex(s["stake_script_hash"])
        assert s["stake_script"]["type"] == "atLeast" and s["stake_script"]["required"] == 2
    bad = subprocess.run([f"{bin_dir}/stakeward", "policy", "addresses",
                          f"{src}/policy/samples/policy.yaml", "--slots", "0"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2, bad.returncode
    print("policy addresses OK:", len(out["slots"]), "slots")


if __name__ == "__main__":
    main()
