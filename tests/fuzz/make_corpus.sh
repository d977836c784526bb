#!/bin/sh
# Writes the seed corpora of the fuzz targets into ROOT/<target>/ (one file per seed), built at run
# time from the shared vectors and the repository's samples:
#   tx_decoder_fuzz        cardano-cli golden transactions; Trezor-derived bodies as
#                          [body, {}, true, null]; a Stakeward-shaped delegation transaction
#   text_envelope_fuzz     the golden transactions and certificates as TextEnvelopes
#   evm_decode_fuzz        the Trezor EIP-1559 vectors, signed (expected signature) and unsigned
#   policy_yaml_fuzz       policy/samples/*.yaml
#   snapshot_json_fuzz     policy/samples/*.json trimmed, each + NUL + groups.txt; a plan history
#   cli_import_fuzz        small cardano-cli outputs, one per importer (byte 0 picks the importer)
#   ogmios_decode_fuzz     every Ogmios v6.14 response vector of the methods used (byte 0 = method)
#   koios_decode_fuzz      the OpenAPI examples of the endpoints used (byte 0 = endpoint)
#   evm_rpc_decode_fuzz    EVM JSON-RPC answers as anvil and geth send them (byte 0 = decoder)
#   ledger_reply_fuzz      plausible replies of each call (byte 0 = call and mode)
#   trezor_reply_fuzz      replies taken from the Trezor transcripts (byte 0 = flow and mode)
#   mock_ledger_apdu_fuzz  APDUs of the Cardano and Ethereum apps (byte 0 = app and mode)
#   mock_trezor_message_fuzz  the host side of the Trezor transcripts (byte 0 = mode)
# Usage: make_corpus.sh ROOT   (STAKEWARD_SHARED_DIR defaults to ../shared next to the repository)
set -eu
out="${1:?usage: make_corpus.sh ROOT}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${STAKEWARD_SHARED_DIR:-$root/../shared}"
mkdir -p "$out"
python3 "$here/make_corpus.py" "$shared" "$root" "$out"
