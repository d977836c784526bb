// The Ogmios v6.14 JSON Schema (draft-07) as ajv validators, shared by the local ledger's front
// (which validates every Ogmios answer before it sends it) and by localchain.test.mjs (which
// validates the same answers again as an independent check).
//
// Source: <shared>/vectors/ogmios-v6.14/schema/{ogmios.json,cardano.json} (CardanoSolutions/ogmios
// tag v6.14.0). Three fixes are applied in memory, never to the files:
//  1. cardano.json definitions.Value.propertyNames only admits 56-hex policy ids, so it rejects
//     the schema's own required "ada" key (vectors/ogmios-v6.14/README.md, "Known schema quirk"):
//     "ada" is admitted as well.
//  2. ogmios.json properties.RpcError.properties.error.required is ["code", "string"] while
//     additionalProperties is false and there is no "string" property, so no error object can
//     ever match; Ogmios itself sends {code, message} (server/modules/json-rpc/src/Codec/Json/
//     Rpc.hs, mkResponse): required becomes ["code", "message"].
//  3. The "$schema" URIs (https://json-schema.org/draft-07/schema, without "#") are not the id of
//     ajv's built-in draft-07 meta-schema; they are dropped and ajv's default draft-07 is used.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';

// Ogmios method → the ogmios.json "properties" entry describing its response.
export const RESPONSE_DEFINITIONS = Object.freeze({
  'queryNetwork/tip': 'QueryNetworkTipResponse',
  'queryNetwork/blockHeight': 'QueryNetworkBlockHeightResponse',
  'queryLedgerState/tip': 'QueryLedgerStateTipResponse',
  'queryLedgerState/epoch': 'QueryLedgerStateEpochResponse',
  'queryLedgerState/protocolParameters': 'QueryLedgerStateProtocolParametersResponse',
  'queryLedgerState/stakePools': 'QueryLedgerStateStakePoolsResponse',
  'queryLedgerState/liveStakeDistribution': 'QueryLedgerStateLiveStakeDistributionResponse',
  'queryLedgerState/stakePoolsPerformances': 'QueryLedgerStateStakePoolsPerformancesResponse',
  'queryLedgerState/rewardAccountSummaries': 'QueryLedgerStateRewardAccountSummariesResponse',
  'queryLedgerState/utxo': 'QueryLedgerStateUtxoResponse',
  'queryLedgerState/treasuryAndReserves': 'QueryLedgerStateTreasuryAndReservesResponse',
  submitTransaction: 'SubmitTransactionResponse',
});

// Ogmios method → the ogmios.json "properties" entry describing its request.
export const REQUEST_DEFINITIONS = Object.freeze({
  'queryNetwork/tip': 'QueryNetworkTip',
  'queryNetwork/blockHeight': 'QueryNetworkBlockHeight',
  'queryLedgerState/tip': 'QueryLedgerStateTip',
  'queryLedgerState/epoch': 'QueryLedgerStateEpoch',
  'queryLedgerState/protocolParameters': 'QueryLedgerStateProtocolParameters',
  'queryLedgerState/stakePools': 'QueryLedgerStateStakePools',
  'queryLedgerState/liveStakeDistribution': 'QueryLedgerStateLiveStakeDistribution',
  'queryLedgerState/stakePoolsPerformances': 'QueryLedgerStateStakePoolsPerformances',
  'queryLedgerState/rewardAccountSummaries': 'QueryLedgerStateRewardAccountSummaries',
  'queryLedgerState/utxo': 'QueryLedgerStateUtxo',
  'queryLedgerState/treasuryAndReserves': 'QueryLedgerStateTreasuryAndReserves',
  submitTransaction: 'SubmitTransaction',
});

// The JSON-RPC error envelope (no "method"), used for requests Ogmios cannot match.
export const RPC_ERROR_DEFINITION = 'RpcError';

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function patchSchemas(ogmios, cardano) {
  delete ogmios.$schema;
  delete cardano.$schema;
  cardano.definitions.Value.propertyNames = { pattern: '^(ada|[0-9a-f]{56})$' };
  ogmios.properties.RpcError.properties.error.required = ['code', 'message'];
}

function isUri(text) {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

// Loads both schema files from `schemaDir` and returns a validator factory; each definition is
// compiled once, on first use.
export function loadOgmiosSchema(schemaDir) {
  const ogmios = readJson(path.join(schemaDir, 'ogmios.json'));
  const cardano = readJson(path.join(schemaDir, 'cardano.json'));
  patchSchemas(ogmios, cardano);
  // strict: false because the schema uses annotation keywords ajv does not know ("name",
  // "contentEncoding" on strings, "examples" inside definitions).
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uri', isUri);
  ajv.addFormat('date-time', (text) => !Number.isNaN(Date.parse(text)));
  ajv.addSchema(cardano);
  ajv.addSchema(ogmios);
  const compiled = new Map();
  const validatorOf = (definition) => {
    if (!compiled.has(definition)) {
      const v = ajv.getSchema(`ogmios.json#/properties/${definition}`);
      if (!v) throw new Error(`ogmios.json has no properties.${definition}`);
      compiled.set(definition, v);
    }
    return compiled.get(definition);
  };
  return {
    // Returns null when `value` matches the definition, else ajv's error list.
    check(definition, value) {
      const validate = validatorOf(definition);
      return validate(value) ? null : validate.errors;
    },
  };
}

// <shared>/vectors/ogmios-v6.14/schema
export function schemaDirOf(sharedDir) {
  return path.join(sharedDir, 'vectors', 'ogmios-v6.14', 'schema');
}
