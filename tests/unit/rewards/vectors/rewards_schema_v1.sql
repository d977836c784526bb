-- The rewards tables as schema version 1 shipped (controller/store/epoch_ledger.cc at 2bbcf65),
-- kept to test the upgrade to version 2 (issue 14).
CREATE TABLE rewards_epochs (
  epoch INTEGER PRIMARY KEY CHECK (epoch >= 0),
  status TEXT NOT NULL CHECK (status IN ('PROPOSED','L1_CONFIRMED','DEPOSITED','NO_REWARDS')),
  summary TEXT NOT NULL,
  total_rewards INTEGER NOT NULL CHECK (total_rewards >= 0),
  commission INTEGER NOT NULL CHECK (commission >= 0),
  fee INTEGER NOT NULL CHECK (fee >= 0),
  fee_from_treasury INTEGER NOT NULL CHECK (fee_from_treasury >= 0),
  bridged INTEGER NOT NULL CHECK (bridged >= 0),
  carry_in INTEGER NOT NULL CHECK (carry_in >= 0),
  carry_out INTEGER NOT NULL CHECK (carry_out >= 0),
  staked INTEGER NOT NULL CHECK (staked >= 0),
  rate_num TEXT NOT NULL,
  rate_den TEXT NOT NULL,
  rate_e18 TEXT NOT NULL
);
CREATE TABLE rewards_slots (
  epoch INTEGER NOT NULL REFERENCES rewards_epochs(epoch),
  slot INTEGER NOT NULL CHECK (slot >= 0),
  reward_account TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  rewards INTEGER NOT NULL CHECK (rewards >= 0),
  commission INTEGER NOT NULL CHECK (commission >= 0),
  net INTEGER NOT NULL CHECK (net >= 0),
  l1_tx_id TEXT,
  PRIMARY KEY (epoch, slot)
);
CREATE TABLE rewards_l1_txs (
  epoch INTEGER NOT NULL REFERENCES rewards_epochs(epoch),
  idx INTEGER NOT NULL CHECK (idx >= 0),
  tx_id TEXT NOT NULL UNIQUE,
  tx_cbor BLOB NOT NULL,
  withdrawn INTEGER NOT NULL, commission INTEGER NOT NULL, fee INTEGER NOT NULL,
  fee_from_treasury INTEGER NOT NULL, bridged INTEGER NOT NULL,
  carry_in INTEGER NOT NULL, carry_out INTEGER NOT NULL,
  PRIMARY KEY (epoch, idx)
);
-- At most one deposit per epoch (primary key) and never two deposits with one nonce.
CREATE TABLE rewards_deposits (
  epoch INTEGER PRIMARY KEY REFERENCES rewards_epochs(epoch),
  state TEXT NOT NULL CHECK (state IN ('SIGNING','SIGNED')),
  chain_id INTEGER NOT NULL,
  sender TEXT NOT NULL,
  path TEXT NOT NULL,
  nonce TEXT NOT NULL,
  value_wei TEXT NOT NULL,
  unsigned_tx BLOB NOT NULL,
  raw_tx BLOB,
  tx_hash TEXT UNIQUE,
  lease_owner TEXT,
  lease_until_ms INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL,
  signed_ms INTEGER,
  UNIQUE (chain_id, sender, nonce),
  CHECK ((state = 'SIGNED') = (raw_tx IS NOT NULL AND tx_hash IS NOT NULL))
);
