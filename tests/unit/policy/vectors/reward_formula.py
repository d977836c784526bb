#!/usr/bin/env python3
"""Expected Shelley rewards, computed with exact rationals outside the C++ under test.

The formulas are the Shelley ledger specification's (IntersectMBO/cardano-ledger,
eras/shelley/formal-spec, "Rewards"): the reward pot from the reserves (fees taken as 0, as the
planner does), maxPool with z0 = 1/nOpt, the pool reward scaled by the apparent performance, and
the member reward, with floors exactly where the ledger floors (rationalToCoinViaFloor):

  deltaR1   = floor(rho * reserves)                      (eta = 1, every expected block made)
  pot R     = deltaR1 - floor(tau * deltaR1)
  sigma'    = min(stake / T, z0),  s' = min(pledge / T, z0)
  maxPool   = floor(R / (1 + a0) * (sigma' + s' * a0 * (sigma' - s' * (z0 - sigma') / z0) / z0))
  f         = floor(perf * maxPool)                      (0 if the live pledge is below the pledge)
  member    = floor((f - c) * (1 - m) * x / stake)       (0 if f <= c)

Run:  python3 reward_formula.py > reward_formula.json   (the JSON next to it is its output)
"""
from fractions import Fraction as F
import json
from math import floor

ADA = 1_000_000


def expected(case):
    T, reserves, k = case["circulating"], case["reserves"], case["k"]
    rho, tau, a0 = F(*case["rho"]), F(*case["tau"]), F(*case["a0"])
    delta_r = floor(rho * reserves)
    pot = delta_r - floor(tau * delta_r)
    z0 = F(1, k)
    stake = case["others"] + case["x"]
    sigma = min(F(stake, T), z0)
    s = min(F(min(case["pledge"], stake), T), z0)
    max_pool = floor(F(pot) / (1 + a0) * (sigma + s * a0 * (sigma - s * (z0 - sigma) / z0) / z0))
    f = 0 if case["live_pledge"] < case["pledge"] else floor(F(*case["perf"]) * max_pool)
    c, m = case["fixed_cost"], F(*case["margin"])
    member = 0 if f <= c or case["x"] == 0 else floor((f - c) * (1 - m) * F(case["x"], stake))
    return {"pot": pot, "pool_reward": f, "member_reward": member}


MAINNET = {"circulating": 35_000_000_000 * ADA, "reserves": 7_000_000_000 * ADA, "k": 500,
           "rho": [3, 1000], "tau": [1, 5], "a0": [3, 10]}


def case(name, **kw):
    c = dict(MAINNET)
    c.update({"pledge": 500_000 * ADA, "live_pledge": 500_000 * ADA, "fixed_cost": 170 * ADA,
              "margin": [1, 100], "perf": [1, 1], "others": 30_000_000 * ADA, "x": 10_000_000 * ADA})
    c.update(kw)
    c["name"] = name
    return c


CASES = [
    case("mid-size pool, 1% margin"),
    case("saturated pool: stake above z0 earns no more", others=80_000_000 * ADA),
    case("no pledge", pledge=0, live_pledge=0),
    case("pledge above the saturation point", pledge=90_000_000 * ADA, live_pledge=90_000_000 * ADA,
         others=60_000_000 * ADA),
    case("live pledge below the declared pledge pays nothing", live_pledge=499_999 * ADA),
    case("performance 7/9", perf=[7, 9]),
    case("fixed cost above the pool reward", fixed_cost=1_000_000 * ADA),
    case("high margin 7/20", margin=[7, 20]),
    case("small pool, small delegation", others=150_000 * ADA, x=1_234_567_891, pledge=10_000 * ADA,
         fixed_cost=10 * ADA,
         live_pledge=10_000 * ADA),
    case("a0 = 0: pledge has no influence", a0=[0, 1]),
    case("k = 150, different pot", k=150, reserves=13_287_000_000 * ADA, rho=[1, 300], tau=[3, 20]),
]

if __name__ == "__main__":
    out = []
    for c in CASES:
        e = expected(c)
        out.append({"case": c, "expected": e})
    print(json.dumps({"source": "tests/unit/policy/vectors/reward_formula.py (Shelley ledger spec, "
                                "exact rationals)", "vectors": out}, indent=1))
