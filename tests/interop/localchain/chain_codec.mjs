// Small Cardano encoding helpers shared by the seed, the chain state and the Ogmios encoders.
// CBOR and addresses are handled by @emurgo/cardano-serialization-lib-nodejs (CSL); this file
// only glues CSL objects to what scalus's Emulator takes and returns.
import CSL from '@emurgo/cardano-serialization-lib-nodejs';

export { CSL };

// Stake credentials are {type: 'key' | 'script', hash: 56 hex}, the shape scalus's
// EmulatorInitialState.stakeRegistrations uses (scalus.d.ts StakeRegistration).
export function credKey(cred) {
  return `${cred.type}:${cred.hash}`;
}

export function cslCredential(cred) {
  return cred.type === 'script'
    ? CSL.Credential.from_scripthash(CSL.ScriptHash.from_hex(cred.hash))
    : CSL.Credential.from_keyhash(CSL.Ed25519KeyHash.from_hex(cred.hash));
}

export function credentialOfCsl(c) {
  const script = c.kind() === CSL.CredKind.Script;
  return script
    ? { type: 'script', hash: c.to_scripthash().to_hex() }
    : { type: 'key', hash: c.to_keyhash().to_hex() };
}

// CBOR of the credential ([0, keyhash] or [1, scripthash]), what Emulator.getDelegation takes.
export function credentialCbor(cred) {
  return cslCredential(cred).to_bytes();
}

// Ogmios CredentialOrigin (cardano.json).
export function credentialOrigin(cred) {
  return cred.type === 'script' ? 'script' : 'verificationKey';
}

export function rewardAccountBech32(cred, networkId) {
  return CSL.RewardAddress.new(networkId, cslCredential(cred)).to_address().to_bech32();
}

// The stake credential of a base address; null for enterprise, pointer, reward and Byron
// addresses (a pointer address's stake is not resolved: nothing Stakeward uses creates one).
export function stakeCredentialOfAddress(address) {
  const base = CSL.BaseAddress.from_address(address);
  return base ? credentialOfCsl(base.stake_cred()) : null;
}

// Bech32 for Shelley addresses, Base58 for Byron ones (cardano.json Address).
export function addressText(address) {
  const byron = CSL.ByronAddress.from_address(address);
  return byron ? byron.to_base58() : address.to_bech32();
}

export function parseAddress(text) {
  if (CSL.ByronAddress.is_valid(text)) return CSL.ByronAddress.from_base58(text).to_address();
  return CSL.Address.from_bech32(text);
}

// A pool id as pool1… bech32 or 56 hex digits (both allowed in snapshots) → hex.
export function poolIdToHex(id) {
  if (/^[0-9a-fA-F]{56}$/.test(id)) return id.toLowerCase();
  if (!/^pool1[0-9a-z]+$/.test(id)) throw new Error(`not a pool id: ${String(id).slice(0, 80)}`);
  return CSL.Ed25519KeyHash.from_bech32(id).to_hex();
}

export function poolIdToBech32(hex) {
  return CSL.Ed25519KeyHash.from_hex(hex).to_bech32('pool');
}

export function plainOutput(address, lovelace) {
  const value = CSL.Value.new(CSL.BigNum.from_str(String(lovelace)));
  return CSL.TransactionOutput.new(parseAddress(address), value);
}

export function txInput(txId, index) {
  return CSL.TransactionInput.new(CSL.TransactionHash.from_hex(txId), index);
}

function mapHeader(n) {
  if (n < 24) return Buffer.from([0xa0 + n]);
  if (n < 256) return Buffer.from([0xb8, n]);
  if (n < 65536) return Buffer.from([0xb9, n >> 8, n & 255]);
  const b = Buffer.alloc(5);
  b[0] = 0xba;
  b.writeUInt32BE(n, 1);
  return b;
}

// CBOR map TransactionInput → TransactionOutput, what EmulatorInitialState.utxos takes.
// `entries`: [{txId, index, output: CSL.TransactionOutput}].
export function utxoMapCbor(entries) {
  const parts = [mapHeader(entries.length)];
  for (const e of entries) {
    parts.push(Buffer.from(txInput(e.txId, e.index).to_bytes()), Buffer.from(e.output.to_bytes()));
  }
  return new Uint8Array(Buffer.concat(parts));
}

// The emulator returns each UTxO as a one-entry CBOR map {input: output} (scalus.d.ts
// getUtxosForAddress). A one-entry map (0xa1 key value) and a two-element array (0x82 key value)
// differ only in the first byte, and the array is CSL's TransactionUnspentOutput encoding.
export function decodeUtxoEntry(bytes) {
  if (bytes[0] !== 0xa1) throw new Error('emulator UTxO entry is not a one-entry CBOR map');
  const asArray = Uint8Array.from(bytes);
  asArray[0] = 0x82;
  const u = CSL.TransactionUnspentOutput.from_bytes(asArray);
  return { txId: u.input().transaction_id().to_hex(), index: u.input().index(), output: u.output() };
}

export function outRefKey(txId, index) {
  return `${txId}#${index}`;
}
