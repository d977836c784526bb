// Ogmios v6.14 JSON for the local ledger's facts. Shapes: cardano.json (Utxo, Value, Script,
// ProtocolParameters, StakePoolView, Relay, Ratio) and ogmios.json (RewardAccountSummary,
// LiveStakeDistribution, StakePoolsPerformances). Amounts are BigInt (written exactly by
// bigjson.mjs).
import { createHash } from 'node:crypto';
import { CSL, addressText, credentialOrigin, poolIdToBech32 } from './chain_codec.mjs';
import { SCALUS_PARAMETERS } from './ledger.mjs';

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const ada = (lovelace) => ({ ada: { lovelace: BigInt(lovelace) } });

function gcd(a, b) {
  while (b) [a, b] = [b, a % b];
  return a;
}

export function ratioText(n, d) {
  if (d === 0n) return '0/1';
  const g = gcd(n, d) || 1n;
  return `${n / g}/${d / g}`;
}

function valueJson(value) {
  const out = ada(value.coin().to_str());
  const ma = value.multiasset();
  const policies = ma ? ma.keys() : null;
  for (let i = 0; policies && i < policies.len(); i++) {
    const policy = policies.get(i);
    const assets = ma.get(policy);
    const names = assets.keys();
    const entry = {};
    for (let j = 0; j < names.len(); j++) {
      entry[hex(names.get(j).name())] = BigInt(assets.get(names.get(j)).to_str());
    }
    out[policy.to_hex()] = entry;
  }
  return out;
}

// cardano.json Script<Native>.
function nativeJson(ns) {
  const list = (scripts) => Array.from({ length: scripts.len() }, (_, i) => nativeJson(scripts.get(i)));
  switch (ns.kind()) {
    case CSL.NativeScriptKind.ScriptPubkey:
      return { clause: 'signature', from: ns.as_script_pubkey().addr_keyhash().to_hex() };
    case CSL.NativeScriptKind.ScriptAll:
      return { clause: 'all', from: list(ns.as_script_all().native_scripts()) };
    case CSL.NativeScriptKind.ScriptAny:
      return { clause: 'any', from: list(ns.as_script_any().native_scripts()) };
    case CSL.NativeScriptKind.ScriptNOfK: {
      const s = ns.as_script_n_of_k();
      return { clause: 'some', atLeast: s.n(), from: list(s.native_scripts()) };
    }
    case CSL.NativeScriptKind.TimelockStart:
      return { clause: 'after', slot: BigInt(ns.as_timelock_start().slot_bignum().to_str()) };
    default:
      return { clause: 'before', slot: BigInt(ns.as_timelock_expiry().slot_bignum().to_str()) };
  }
}

function scriptJson(ref) {
  if (ref.is_native_script()) {
    const ns = ref.native_script();
    return { language: 'native', json: nativeJson(ns), cbor: ns.to_hex() };
  }
  const ps = ref.plutus_script();
  const language = ['plutus:v1', 'plutus:v2', 'plutus:v3'][ps.language_version().kind()];
  return { language, cbor: ps.to_hex() };
}

// One cardano.json Utxo item from {txId, index, output: CSL.TransactionOutput}.
export function utxoJson(u) {
  const o = u.output;
  const out = {
    transaction: { id: u.txId },
    index: u.index,
    address: addressText(o.address()),
    value: valueJson(o.amount()),
  };
  if (o.has_data_hash()) out.datumHash = o.data_hash().to_hex();
  if (o.has_plutus_data()) out.datum = o.plutus_data().to_hex();
  if (o.has_script_ref()) out.script = scriptJson(o.script_ref());
  return out;
}

// cardano.json ProtocolParameters: scalus's (ledger.mjs SCALUS_PARAMETERS, which says which were
// measured) and, for the reward-formula parameters scalus does not use (k, a0, rho, tau), the
// seed snapshot's.
export function protocolParametersJson(seedProtocol, ratioOf) {
  const r = (v) => {
    const { n, d } = ratioOf(v);
    return ratioText(n, d);
  };
  return {
    minFeeCoefficient: SCALUS_PARAMETERS.minFeeA,
    minFeeConstant: ada(SCALUS_PARAMETERS.minFeeB),
    minUtxoDepositCoefficient: SCALUS_PARAMETERS.coinsPerUtxoByte,
    minUtxoDepositConstant: ada(0n),
    maxBlockBodySize: { bytes: SCALUS_PARAMETERS.maxBlockBodySize },
    maxBlockHeaderSize: { bytes: SCALUS_PARAMETERS.maxBlockHeaderSize },
    maxTransactionSize: { bytes: SCALUS_PARAMETERS.maxTxSize },
    maxValueSize: { bytes: SCALUS_PARAMETERS.maxValueSize },
    stakeCredentialDeposit: ada(SCALUS_PARAMETERS.keyDeposit),
    stakePoolDeposit: ada(SCALUS_PARAMETERS.poolDeposit),
    stakePoolRetirementEpochBound: SCALUS_PARAMETERS.poolRetireMaxEpoch,
    stakePoolPledgeInfluence: r(seedProtocol.a0),
    minStakePoolCost: ada(SCALUS_PARAMETERS.minPoolCost),
    desiredNumberOfStakePools: BigInt(seedProtocol.k),
    monetaryExpansion: r(seedProtocol.rho),
    treasuryExpansion: r(seedProtocol.tau),
    collateralPercentage: SCALUS_PARAMETERS.collateralPercentage,
    maxCollateralInputs: SCALUS_PARAMETERS.maxCollateralInputs,
    version: { major: SCALUS_PARAMETERS.protocolMajor, minor: SCALUS_PARAMETERS.protocolMinor },
  };
}

// A snapshot relay text ("host:port", "1.2.3.4:3001", "[::1]:3001", "host") → cardano.json Relay.
export function relayJson(text) {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:]+))(?::([0-9]+))?$/.exec(text);
  if (!m) return { type: 'hostname', hostname: text };
  const port = m[3] === undefined ? {} : { port: Number(m[3]) };
  if (m[1]) return { type: 'ipAddress', ipv6: m[1], ...port };
  if (/^[0-9]+(\.[0-9]+){3}$/.test(m[2])) return { type: 'ipAddress', ipv4: m[2], ...port };
  return { type: 'hostname', hostname: m[2], ...port };
}

// cardano.json StakePoolView from a seed pool. The snapshot carries no metadata hash and no
// reward account: `metadata.hash` is sha256 of the URL text (a stand-in; cardano.json Anchor
// requires a hash, and Digest<Any> admits any digest) and rewardAccount is omitted (optional).
export function stakePoolJson(pool, stake) {
  const out = {
    id: pool.bech32,
    vrfVerificationKeyHash: pool.vrf,
    owners: pool.owners,
    cost: ada(pool.cost),
    margin: ratioText(pool.margin.n, pool.margin.d),
    pledge: ada(pool.pledge),
    relays: pool.relays.map(relayJson),
  };
  if (pool.metadataUrl) {
    const hash = createHash('sha256').update(pool.metadataUrl).digest('hex');
    out.metadata = { url: pool.metadataUrl, hash };
  }
  if (stake !== undefined) out.stake = ada(stake);
  return out;
}

// ogmios.json RewardAccountSummary; `acc` from ChainState.account.
export function rewardAccountSummaryJson(cred, acc) {
  const out = { from: credentialOrigin(cred), credential: cred.hash };
  if (acc.pool) out.stakePool = { id: poolIdToBech32(acc.pool) };
  if (acc.drep) out.delegateRepresentative = acc.drep;
  out.rewards = ada(acc.rewards);
  out.deposit = ada(acc.deposit);
  return out;
}

export { ada };
