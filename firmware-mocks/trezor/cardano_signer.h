// The Cardano transaction signing workflow (CardanoSignTxInit ... CardanoSignTxFinished) in the
// ORDINARY_TRANSACTION and MULTISIG_TRANSACTION modes. The body is serialized and hashed while the
// items stream in, in the firmware's key order, so the hash is that of exactly what was sent.
// Behaviour follows trezor-firmware core/src/apps/cardano/sign_tx/signer.py (`Signer.sign`,
// `_processs_tx_init`, ...), ordinary_signer.py and multisig_signer.py (specs/trezor.md §4.3-4.6).
#ifndef STAKEWARD_FIRMWARE_MOCKS_TREZOR_CARDANO_SIGNER_H_
#define STAKEWARD_FIRMWARE_MOCKS_TREZOR_CARDANO_SIGNER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "chain/hash.h"
#include "chain/keys.h"
#include "firmware-mocks/common/malice.h"
#include "firmware-mocks/trezor/cardano_keychain.h"
#include "firmware-mocks/trezor/flow.h"
#include "proto/trezor/messages_cardano.pb.h"

namespace stakeward::mocks::trezor {

class CardanoSigner : public Flow {
 public:
  // Validates the init message and returns the signer plus its first reply (ItemAck, possibly
  // after screens). `keychain` must outlive the signer.
  static absl::StatusOr<std::pair<std::unique_ptr<CardanoSigner>, Reply>> Start(
      const hw::trezor::messages::cardano::CardanoSignTxInit& init, CardanoKeychain* keychain,
      chain::Derivation derivation, Malice malice = Malice::kNone);

  bool Expects(uint16_t type) const override;
  absl::StatusOr<Reply> Handle(const WireMessage& msg) override;
  bool done() const override { return phase_ == Phase::kDone; }

  // The serialized body so far (complete once the last item was acknowledged).
  const chain::Bytes& body() const { return body_; }

 private:
  enum class Section {
    kInputs,
    kOutputs,
    kFee,
    kTtl,
    kCertificates,
    kWithdrawals,
    kAuxData,
    kValidityStart,
    kScriptDataHash,
    kRequiredSigners,
    kNetworkId,
  };
  enum class Phase { kBody, kAuxHostAck, kWitnesses, kBodyHashAck, kFinishAck, kDone };

  CardanoSigner(const hw::trezor::messages::cardano::CardanoSignTxInit& init,
                CardanoKeychain* keychain, chain::Derivation derivation);

  bool multisig() const;
  void Emit(chain::ByteView bytes);
  // Emits scalar sections and list headers until an item is needed or the body is complete;
  // appends the final confirmation screens to `screens` when it completes.
  void Advance(std::vector<Screen>& screens);
  std::optional<uint16_t> ExpectedItemType() const;
  absl::Status CheckAccount(const PathVec& path, absl::Status error);

  absl::StatusOr<Reply> HandleInput(const WireMessage& msg);
  absl::StatusOr<Reply> HandleOutput(const WireMessage& msg);
  absl::StatusOr<Reply> HandleCertificate(const WireMessage& msg);
  absl::StatusOr<Reply> HandleWithdrawal(const WireMessage& msg);
  absl::StatusOr<Reply> HandleAuxiliaryData(const WireMessage& msg);
  absl::StatusOr<Reply> HandleRequiredSigner(const WireMessage& msg);
  absl::StatusOr<Reply> HandleWitnessRequest(const WireMessage& msg);
  absl::StatusOr<Reply> HandleHostAck();
  // ItemAck after the item; screens first, then whatever Advance() adds.
  Reply ItemAck(std::vector<Screen> screens);

  hw::trezor::messages::cardano::CardanoSignTxInit init_;
  CardanoKeychain* keychain_;
  chain::Derivation derivation_;
  Malice malice_ = Malice::kNone;
  bool show_details_ = false;

  std::vector<Section> sections_;
  size_t section_ = 0;
  bool section_open_ = false;
  uint32_t remaining_ = 0;
  chain::Bytes previous_withdrawal_key_;
  uint64_t total_output_ = 0;

  chain::Blake2b256Stream hash_;
  chain::Bytes body_;
  chain::Hash32 tx_hash_{};
  Phase phase_ = Phase::kBody;
  uint32_t witnesses_left_ = 0;
  std::optional<PathVec> account_;
};

}  // namespace stakeward::mocks::trezor

#endif  // STAKEWARD_FIRMWARE_MOCKS_TREZOR_CARDANO_SIGNER_H_
