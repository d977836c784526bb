// The Cardano app's SIGN_TX (INS 0x21) stage machine for ORDINARY and MULTISIG transactions
// (specs/ledger.md §4.8-4.9; vacuumlabs/ledger-app-cardano-shelley src/signTx.c,
// src/signTxOutput.c, src/securityPolicy.c, src/txHashBuilder.c).
//
// The body is never received as CBOR: each APDU carries one element, which the machine
// validates, shows (ScreenLog), serializes canonically and feeds to a streaming blake2b-256, so
// the hash returned at CONFIRM is the hash of exactly the body the host must have built.
#ifndef STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_SIGN_TX_H_
#define STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_SIGN_TX_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chain/bytes.h"
#include "chain/hash.h"
#include "firmware-mocks/common/malice.h"
#include "firmware-mocks/common/screen_log.h"
#include "firmware-mocks/common/user_model.h"
#include "firmware-mocks/ledger/apdu.h"
#include "firmware-mocks/ledger/cardano_wire.h"
#include "firmware-mocks/ledger/keyring.h"

namespace stakeward::mocks::ledger::cardano {

// Signing modes (INIT field 14).
inline constexpr uint8_t kModeOrdinary = 3;
inline constexpr uint8_t kModePoolOwner = 4;
inline constexpr uint8_t kModePoolOperator = 5;
inline constexpr uint8_t kModeMultisig = 6;
inline constexpr uint8_t kModePlutus = 7;

// Mainnet protocol magic (specs/ledger.md §4.8 INIT).
inline constexpr uint32_t kMainnetMagic = 764824073;
// LOVELACE_MAX_SUPPLY (src/cardano.h): larger coin values are invalid data.
inline constexpr uint64_t kMaxLovelaceSupply = 45'000'000'000'000'000ull;

struct SignTxEnv {
  Keyring* keys;
  const UserModel* user;
  ScreenLog* screens;
  Malice malice = Malice::kNone;  // --malicious: what the mock lies about
  // The app's expert mode (settings). Off, as on a fresh app: securityPolicy.c then hides the
  // TTL, validity start, auxiliary data hash, withdrawals and required signers.
  bool expert_mode = false;
};

class SignTxMachine {
 public:
  explicit SignTxMachine(SignTxEnv env);
  ~SignTxMachine();

  // Handles one APDU of the call; `first` is true for the first APDU of a new call. When the
  // reply is an error (auto-responded, ends the call) or the last witness was signed, finished()
  // becomes true.
  Reply Handle(const Apdu& apdu, bool first);
  bool finished() const { return finished_; }

 private:
  enum class Stage {
    kInit,
    kAuxData,
    kInputs,
    kOutputs,
    kFee,
    kTtl,
    kCertificates,
    kWithdrawals,
    kValidity,
    kRequiredSigners,
    kTreasury,
    kDonation,
    kConfirm,
    kWitnesses,
    kDone,
  };
  struct OutputState;

  Reply Fail(uint16_t sw);
  Reply HandleInit(const Apdu& a);
  Reply HandleAuxData(const Apdu& a);
  Reply HandleInput(const Apdu& a);
  Reply HandleOutput(const Apdu& a);
  Reply HandleOutputBasic(Reader& r);
  Reply HandleAssetGroup(Reader& r);
  Reply HandleToken(Reader& r);
  Reply HandleOutputConfirm();
  Reply HandleFee(const Apdu& a);
  Reply HandleTtl(const Apdu& a);
  Reply HandleCertificate(const Apdu& a);
  Reply HandleWithdrawal(const Apdu& a);
  Reply HandleValidity(const Apdu& a);
  Reply HandleRequiredSigner(const Apdu& a);
  Reply HandleTreasuryOrDonation(const Apdu& a, bool donation);
  Reply HandleConfirm(const Apdu& a);
  Reply HandleWitness(const Apdu& a);

  // Moves to the next stage that has elements, emitting each entered stage's map key/header.
  void Advance();
  void Enter(Stage s);
  bool StageDone() const;
  void Emit(const chain::Bytes& cbor);
  // Credential checks and CBOR ([0, keyhash] / [1, scripthash]) for certificates/withdrawals.
  uint16_t CheckStakeCredential(const Credential& c);
  chain::Bytes CredentialCbor(const Credential& c);
  std::string CredentialText(const Credential& c);
  // ORDINARY single-account rule over 44'/1852' paths.
  bool UseAccount(const chain::Path& p);
  bool Prompt(std::string_view step);

  SignTxEnv env_;
  bool finished_ = false;
  Stage stage_ = Stage::kInit;
  chain::Blake2b256Stream hash_;
  chain::Hash32 tx_hash_{};

  // INIT.
  bool tag_sets_ = false;
  uint8_t network_id_ = 0;
  uint32_t magic_ = 0;
  uint8_t mode_ = 0;
  bool has_ttl_ = false, has_aux_ = false, has_validity_ = false, has_network_id_ = false;
  bool has_treasury_ = false, has_donation_ = false;
  uint16_t num_inputs_ = 0, num_outputs_ = 0, num_certs_ = 0, num_withdrawals_ = 0;
  uint16_t num_required_signers_ = 0, num_witnesses_ = 0;

  // Progress.
  uint32_t done_in_stage_ = 0;
  std::optional<chain::Hash32> aux_hash_;
  bool aux_emitted_ = false;
  bool network_id_emitted_ = false;
  std::unique_ptr<OutputState> output_;
  chain::Bytes last_withdrawal_key_;
  std::optional<std::pair<uint32_t, uint32_t>> account_;  // (purpose class, account)
};

}  // namespace stakeward::mocks::ledger::cardano

#endif  // STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_SIGN_TX_H_
