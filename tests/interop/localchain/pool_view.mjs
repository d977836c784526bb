// Stake pool answers. scalus has pool registrations but no stake distribution, block production
// or rewards, so these answers are the seed snapshot's pool data, adjusted for what the ledger
// shows:
//  - live stake = the pool's snapshot live_stake minus what the snapshot's registered slots
//    delegated to it contributed (their UTxOs plus rewards: policy/snapshot.h says live_stake
//    includes our slots' delegation), plus what every account delegated to it in the ledger holds
//    now (UTxOs under its stake credential plus rewards, ChainState.delegatedStake). Moving a slot
//    to another pool by a delegation certificate therefore moves its stake.
//  - active stake, live pledge (ownerStake) and blocks per epoch are the snapshot's, unchanged by
//    blocks or epochs of the local chain.
//  - a pool whose retiring_epoch is at or before the current epoch is not listed.
import { ada, ratioText, stakePoolJson } from './ogmios_encode.mjs';

// maxLovelaceSupply of the Shelley genesis (mainnet, preprod and preview shelley-genesis.json),
// the same constant as chainsource/snapshot_builder.h kMaxLovelaceSupply. Ogmios's
// liveStakeDistribution is relative to the circulation, max supply minus reserves.
export const MAX_LOVELACE_SUPPLY = 45000000000000000n;

export function circulation(seed) {
  return MAX_LOVELACE_SUPPLY - seed.reserves;
}

export function activePools(seed, epoch) {
  return seed.pools.filter((p) => p.retiringEpoch === null || p.retiringEpoch > epoch);
}

// pool hex → live stake (lovelace).
export function liveStakes(seed, state) {
  const ledger = state.delegatedStake();
  const out = new Map();
  for (const p of seed.pools) {
    let external = p.liveStake - (seed.seededDelegation.get(p.hex) ?? 0n);
    if (external < 0n) external = 0n;
    out.set(p.hex, external + (ledger.get(p.hex) ?? 0n));
  }
  return out;
}

// queryLedgerState/stakePools: object keyed by pool id (ogmios.json
// QueryLedgerStateStakePoolsResponse). `only`: Set of pool bech32 ids, or null for all.
export function stakePoolsResult(seed, state, epoch, { includeStake, only }) {
  const stakes = includeStake ? liveStakes(seed, state) : null;
  const out = {};
  for (const p of activePools(seed, epoch)) {
    if (only && !only.has(p.bech32)) continue;
    out[p.bech32] = stakePoolJson(p, stakes ? stakes.get(p.hex) : undefined);
  }
  return out;
}

export function liveStakeDistributionResult(seed, state, epoch) {
  const stakes = liveStakes(seed, state);
  const total = circulation(seed);
  const out = {};
  for (const p of activePools(seed, epoch)) {
    out[p.bech32] = { stake: ratioText(stakes.get(p.hex), total), vrf: p.vrf };
  }
  return out;
}

// Blocks made over blocks expected in the snapshot's latest epoch entry.
function approximatePerformance(pool) {
  const last = pool.blocks[pool.blocks.length - 1];
  if (!last || last.expected.n === 0n) return 0;
  return (last.made * Number(last.expected.d)) / Number(last.expected.n);
}

// ogmios.json StakePoolsPerformances. totalRewardsInEpoch is 0: the local chain computes no
// rewards (stakeward/addRewards pays them by hand).
export function performancesResult(seed, epoch, ratioOf) {
  const pools = activePools(seed, epoch);
  const a0 = ratioOf(seed.protocol.a0);
  const stakePools = {};
  for (const p of pools) {
    stakePools[p.bech32] = {
      id: p.bech32,
      stake: ada(p.activeStake),
      ownerStake: ada(p.livePledge),
      approximatePerformance: approximatePerformance(p),
      parameters: {
        cost: ada(p.cost),
        margin: ratioText(p.margin.n, p.margin.d),
        pledge: ada(p.pledge),
      },
    };
  }
  return {
    desiredNumberOfStakePools: BigInt(seed.protocol.k),
    stakePoolPledgeInfluence: ratioText(a0.n, a0.d),
    totalRewardsInEpoch: ada(0n),
    totalStakeInEpoch: ada(circulation(seed)),
    activeStakeInEpoch: ada(pools.reduce((s, p) => s + p.activeStake, 0n)),
    stakePools,
  };
}
