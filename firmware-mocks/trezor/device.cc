#include "firmware-mocks/trezor/device.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "chain/hash.h"
#include "firmware-mocks/trezor/ethereum_signer.h"
#include "proto/trezor/messages_cardano.pb.h"
#include "proto/trezor/messages_ethereum.pb.h"

namespace stakeward::mocks::trezor {
namespace {

namespace mm = hw::trezor::messages::management;
namespace cmn = hw::trezor::messages::common;
using hw::trezor::messages::common::ButtonRequest;

}  // namespace

absl::StatusOr<std::unique_ptr<TrezorDevice>> TrezorDevice::Create(const std::string& mnemonic,
                                                                   UserModel* user,
                                                                   ScreenLog* screens) {
  DeviceConfig config;
  config.mnemonic = mnemonic;
  return Create(config, user, screens);
}

absl::StatusOr<std::unique_ptr<TrezorDevice>> TrezorDevice::Create(const DeviceConfig& config,
                                                                   UserModel* user,
                                                                   ScreenLog* screens) {
  auto keychain = CardanoKeychain::Create(config.mnemonic);
  if (!keychain.ok()) return keychain.status();
  auto seed = chain::MnemonicToSeed(config.mnemonic, "");
  if (!seed.ok()) return seed.status();
  auto master = chain::evm::Secp256k1Key::MasterFromSeed(chain::View(*seed));
  if (!master.ok()) return master.status();
  // A stable serial-number-like id per seed (the real one is random per device).
  const auto digest = chain::Sha256(chain::View(std::string_view(config.mnemonic)));
  std::string id = absl::AsciiStrToUpper(chain::HexEncode(chain::ByteView(digest.data(), 12)));
  return std::unique_ptr<TrezorDevice>(
      new TrezorDevice(config, std::move(*keychain), *master, std::move(id), user, screens));
}

TrezorDevice::TrezorDevice(DeviceConfig config, CardanoKeychain keychain,
                           chain::evm::Secp256k1Key eth_master, std::string device_id,
                           UserModel* user, ScreenLog* screens)
    : config_(std::move(config)),
      keychain_(std::move(keychain)),
      eth_master_(eth_master),
      device_id_(std::move(device_id)),
      user_(user),
      screens_(screens),
      locked_(!config_.pin.empty()) {}

void TrezorDevice::Reset() {
  AbortWorkflow();
  derive_cardano_ = false;
  session_id_.clear();
  session_passphrase_.reset();
  locked_ = !config_.pin.empty();  // a re-plugged device is locked again
}

void TrezorDevice::AbortWorkflow() {
  flow_.reset();
  pending_.reset();
  gate_.reset();
}

WireMessage TrezorDevice::FailWith(int code, const std::string& message) {
  AbortWorkflow();
  cmn::Failure f;
  f.set_code(static_cast<cmn::Failure::FailureType>(code));
  f.set_message(message);
  return MakeReply(hw::trezor::messages::MessageType_Failure, f).message;
}

bool TrezorDevice::NeedsSeed(uint16_t type) const {
  switch (type) {
    case hw::trezor::messages::MessageType_CardanoGetPublicKey:
    case hw::trezor::messages::MessageType_CardanoGetAddress:
    case hw::trezor::messages::MessageType_CardanoSignTxInit:
      return !config_.model_one;  // unknown to the legacy firmware: refused before any PIN
    case hw::trezor::messages::MessageType_EthereumGetAddress:
    case hw::trezor::messages::MessageType_EthereumSignTxEIP1559:
      return true;
    default:
      return false;
  }
}

absl::Status TrezorDevice::UsePassphrase(const std::string& passphrase) {
  // The hidden wallet: BIP39 seed and Icarus master key both take the passphrase
  // (core/src/apps/common/seed.py `get_seed`, apps/cardano/seed.py `derive_and_store_secrets`).
  auto keychain = CardanoKeychain::Create(config_.mnemonic, passphrase);
  if (!keychain.ok()) return keychain.status();
  auto seed = chain::MnemonicToSeed(config_.mnemonic, passphrase);
  if (!seed.ok()) return seed.status();
  auto master = chain::evm::Secp256k1Key::MasterFromSeed(chain::View(*seed));
  if (!master.ok()) return master.status();
  keychain_ = std::move(*keychain);
  eth_master_ = *master;
  session_passphrase_ = passphrase;
  return absl::OkStatus();
}

WireMessage TrezorDevice::OpenOrGate(WireMessage request) {
  if (locked_) {
    if (config_.model_one) {
      // legacy/firmware/protect.c `protectPin`: the host enters the PIN on a scrambled matrix.
      gate_ = Gate{GateStage::kPinMatrix, std::move(request)};
      screens_->Add("Please enter current PIN (matrix)");
      cmn::PinMatrixRequest pmr;
      pmr.set_type(cmn::PinMatrixRequest::PinMatrixRequestType_Current);
      return MakeReply(hw::trezor::messages::MessageType_PinMatrixRequest, pmr).message;
    }
    // core/src/apps/common/request_pin.py: PIN keyboard on the touchscreen, announced with
    // ButtonRequest(PinEntry).
    gate_ = Gate{GateStage::kPinOnDevice, std::move(request)};
    screens_->Add("Enter PIN");
    cmn::ButtonRequest br;
    br.set_code(ButtonRequest::ButtonRequest_PinEntry);
    return MakeReply(hw::trezor::messages::MessageType_ButtonRequest, br).message;
  }
  if (config_.passphrase.has_value() && !session_passphrase_.has_value()) {
    // core/src/apps/common/passphrase.py `_request_on_host`: PassphraseRequest, then the host
    // answers with the passphrase or on_device=true.
    gate_ = Gate{GateStage::kPassphraseRequest, std::move(request)};
    return MakeReply(hw::trezor::messages::MessageType_PassphraseRequest, cmn::PassphraseRequest())
        .message;
  }
  return Deliver(Dispatch(request));
}

WireMessage TrezorDevice::HandleGate(const WireMessage& in) {
  using hw::trezor::messages::MessageType;
  Gate gate = std::move(*gate_);
  gate_.reset();
  if (in.type == hw::trezor::messages::MessageType_Cancel) {
    return FailWith(cmn::Failure::Failure_ActionCancelled, "Cancelled");
  }
  switch (gate.stage) {
    case GateStage::kPinOnDevice:
      if (in.type != hw::trezor::messages::MessageType_ButtonAck) break;
      if (!user_->Decide(kStepPin)) {
        return FailWith(cmn::Failure::Failure_PinCancelled, "PIN entry cancelled");
      }
      locked_ = false;
      return OpenOrGate(std::move(gate.request));
    case GateStage::kPinMatrix: {
      if (in.type != hw::trezor::messages::MessageType_PinMatrixAck) {
        return FailWith(cmn::Failure::Failure_PinExpected, "PIN expected");
      }
      auto ack = ParseMessage<cmn::PinMatrixAck>(in);
      if (!ack.ok()) return Fail(ack.status());
      // The mock shows an unscrambled matrix (digit n at position n), so the positions the host
      // sends are the PIN itself.
      if (ack->pin() != config_.pin) {
        return FailWith(cmn::Failure::Failure_PinInvalid, "PIN invalid");
      }
      locked_ = false;
      return OpenOrGate(std::move(gate.request));
    }
    case GateStage::kPassphraseRequest: {
      if (in.type != hw::trezor::messages::MessageType_PassphraseAck) break;
      auto ack = ParseMessage<cmn::PassphraseAck>(in);
      if (!ack.ok()) return Fail(ack.status());
      if (ack->on_device()) {
        if (ack->has_passphrase()) {
          return FailWith(cmn::Failure::Failure_DataError,
                          "Passphrase provided when it should not be");
        }
        gate_ = Gate{GateStage::kPassphraseOnDevice, std::move(gate.request)};
        screens_->Add("Enter passphrase");
        cmn::ButtonRequest br;
        br.set_code(ButtonRequest::ButtonRequest_PassphraseEntry);
        return MakeReply(hw::trezor::messages::MessageType_ButtonRequest, br).message;
      }
      if (!ack->has_passphrase()) {
        return FailWith(cmn::Failure::Failure_DataError,
                        "Passphrase not provided and on_device is False");
      }
      if (auto s = UsePassphrase(ack->passphrase()); !s.ok()) return Fail(s);
      return OpenOrGate(std::move(gate.request));
    }
    case GateStage::kPassphraseOnDevice:
      if (in.type != hw::trezor::messages::MessageType_ButtonAck) break;
      if (!user_->Decide(kStepPassphrase)) {
        return FailWith(cmn::Failure::Failure_ActionCancelled, "Cancelled");
      }
      if (auto s = UsePassphrase(*config_.passphrase); !s.ok()) return Fail(s);
      return OpenOrGate(std::move(gate.request));
  }
  // Any other message abandons the held request and is handled on its own.
  return Handle(in);
}

WireMessage TrezorDevice::Fail(const absl::Status& status) {
  AbortWorkflow();
  const cmn::Failure failure = ToFailure(status);
  return MakeReply(hw::trezor::messages::MessageType_Failure, failure).message;
}

WireMessage TrezorDevice::Deliver(absl::StatusOr<Reply> reply) {
  if (!reply.ok()) return Fail(reply.status());
  if (reply->screens.empty()) {
    if (flow_ && flow_->done()) flow_.reset();
    return std::move(reply->message);
  }
  pending_ = std::move(*reply);
  const Screen& screen = pending_->screens.front();
  screens_->Add(screen.text);
  cmn::ButtonRequest br;
  br.set_code(screen.code);
  return MakeReply(hw::trezor::messages::MessageType_ButtonRequest, br).message;
}

WireMessage TrezorDevice::Handle(const WireMessage& in) {
  if (gate_) return HandleGate(in);
  if (pending_) {
    if (in.type == hw::trezor::messages::MessageType_ButtonAck) {
      Screen screen = pending_->screens.front();
      if (!user_->Decide(screen.step)) return Fail(ActionCancelled());
      Reply rest = std::move(*pending_);
      pending_.reset();
      rest.screens.erase(rest.screens.begin());
      return Deliver(std::move(rest));
    }
    // Anything else interrupts the confirmation and is handled as a new request.
    AbortWorkflow();
  }
  if (flow_) {
    if (flow_->Expects(in.type)) return Deliver(flow_->Handle(in));
    AbortWorkflow();
  }
  if (NeedsSeed(in.type)) return OpenOrGate(in);
  return Deliver(Dispatch(in));
}

mm::Features TrezorDevice::MakeFeatures() const {
  mm::Features f;
  f.set_vendor("trezor.io");
  f.set_major_version(config_.model_one ? kFirmwareOneMajor : kFirmwareMajor);
  f.set_minor_version(config_.model_one ? kFirmwareOneMinor : kFirmwareMinor);
  f.set_patch_version(config_.model_one ? kFirmwareOnePatch : kFirmwarePatch);
  f.set_bootloader_mode(false);
  f.set_device_id(device_id_);
  f.set_pin_protection(!config_.pin.empty());
  f.set_passphrase_protection(config_.passphrase.has_value());
  f.set_language("en-US");
  f.set_label("Stakeward mock");
  f.set_initialized(true);
  f.set_unlocked(!locked_);
  f.set_backup_availability(mm::Features::NotAvailable);
  f.set_model(config_.model_one ? "1" : "T");
  f.set_internal_model(config_.model_one ? "T1B1" : "T2T1");
  f.set_unfinished_backup(false);
  f.set_no_backup(false);
  f.set_recovery_status(mm::Features::Nothing);
  if (config_.model_one) {
    // legacy/firmware/fsm_msg_common.h `fsm_msgGetFeatures` (non-bitcoin-only): no Cardano.
    for (auto c : {mm::Features::Capability_Bitcoin, mm::Features::Capability_Bitcoin_like,
                   mm::Features::Capability_Crypto, mm::Features::Capability_Ethereum,
                   mm::Features::Capability_NEM, mm::Features::Capability_Stellar,
                   mm::Features::Capability_U2F}) {
      f.add_capabilities(c);
    }
  }
  // Capabilities of a Model T (core/src/apps/base.py get_features, non-bitcoin-only build).
  for (auto c : {mm::Features::Capability_Bitcoin, mm::Features::Capability_Bitcoin_like,
                 mm::Features::Capability_Binance, mm::Features::Capability_Cardano,
                 mm::Features::Capability_Crypto, mm::Features::Capability_EOS,
                 mm::Features::Capability_Ethereum, mm::Features::Capability_Monero,
                 mm::Features::Capability_NEM, mm::Features::Capability_Ripple,
                 mm::Features::Capability_Stellar, mm::Features::Capability_Tezos,
                 mm::Features::Capability_U2F, mm::Features::Capability_Shamir,
                 mm::Features::Capability_ShamirGroups, mm::Features::Capability_PassphraseEntry,
                 mm::Features::Capability_Solana, mm::Features::Capability_Translations}) {
    if (!config_.model_one) f.add_capabilities(c);
  }
  f.set_backup_type(mm::Bip39);
  f.set_sd_card_present(false);
  f.set_sd_protection(false);
  f.set_wipe_code_protection(false);
  if (!session_id_.empty()) f.set_session_id(session_id_);
  f.set_passphrase_always_on_device(false);
  f.set_safety_checks(mm::Strict);
  f.set_auto_lock_delay_ms(600000);
  f.set_display_rotation(mm::North);
  f.set_experimental_features(false);
  f.set_busy(false);
  f.set_homescreen_format(mm::Jpeg);
  f.set_hide_passphrase_from_host(false);
  f.set_unit_btconly(false);
  f.set_homescreen_width(240);
  f.set_homescreen_height(240);
  f.set_language_version_matches(true);
  return f;
}

absl::StatusOr<Reply> TrezorDevice::Dispatch(const WireMessage& in) {
  using hw::trezor::messages::MessageType;
  switch (in.type) {
    case hw::trezor::messages::MessageType_Initialize:
      return OnInitialize(in);
    case hw::trezor::messages::MessageType_GetFeatures:
      return MakeReply(hw::trezor::messages::MessageType_Features, MakeFeatures());
    case hw::trezor::messages::MessageType_Ping:
      return OnPing(in);
    case hw::trezor::messages::MessageType_Cancel:
      return ActionCancelled();
    case hw::trezor::messages::MessageType_CardanoGetPublicKey:
    case hw::trezor::messages::MessageType_CardanoGetAddress:
    case hw::trezor::messages::MessageType_CardanoSignTxInit:
      // The legacy firmware has no Cardano app and answers any unknown message this way
      // (legacy/firmware/messages.c `msg_process`: "Unknown message").
      if (config_.model_one) return UnexpectedMessage("Unknown message");
      break;
    default:
      break;
  }
  switch (in.type) {
    case hw::trezor::messages::MessageType_CardanoGetPublicKey:
      return OnCardanoGetPublicKey(in);
    case hw::trezor::messages::MessageType_CardanoGetAddress:
      return OnCardanoGetAddress(in);
    case hw::trezor::messages::MessageType_CardanoSignTxInit:
      return OnCardanoSignTxInit(in);
    case hw::trezor::messages::MessageType_EthereumGetAddress:
      return OnEthereumGetAddress(in);
    case hw::trezor::messages::MessageType_EthereumSignTxEIP1559:
      return OnEthereumSignTx(in);
    default:
      return UnexpectedMessage();
  }
}

absl::StatusOr<Reply> TrezorDevice::OnInitialize(const WireMessage& in) {
  auto msg = ParseMessage<mm::Initialize>(in);
  if (!msg.ok()) return msg.status();
  // Resuming the current session keeps its state; anything else starts a fresh session.
  const bool resume = msg->has_session_id() && !session_id_.empty() &&
                      msg->session_id() == session_id_ && msg->derive_cardano() == derive_cardano_;
  if (!resume) {
    ++session_counter_;
    const auto id = chain::Sha256(
        chain::View(std::string_view(absl::StrCat(device_id_, "/session/", session_counter_))));
    session_id_.assign(id.begin(), id.end());
    derive_cardano_ = msg->derive_cardano();
    session_passphrase_.reset();  // a new session asks for the passphrase again
  }
  return MakeReply(hw::trezor::messages::MessageType_Features, MakeFeatures());
}

absl::StatusOr<Reply> TrezorDevice::OnPing(const WireMessage& in) {
  auto msg = ParseMessage<mm::Ping>(in);
  if (!msg.ok()) return msg.status();
  cmn::Success ok;
  ok.set_message(msg->message());
  std::vector<Screen> screens;
  if (msg->button_protection()) {
    screens.push_back({"confirm", ButtonRequest::ButtonRequest_ProtectCall, "Confirm ping"});
  }
  return MakeReply(hw::trezor::messages::MessageType_Success, ok, std::move(screens));
}

absl::StatusOr<Reply> TrezorDevice::OnEthereumGetAddress(const WireMessage& in) {
  auto msg = ParseMessage<hw::trezor::messages::ethereum::EthereumGetAddress>(in);
  if (!msg.ok()) return msg.status();
  if (config_.malice == Malice::kWrongPubkey && msg->address_n_size() > 0) {
    // Malicious mode: report the address of the next index.
    msg->set_address_n(msg->address_n_size() - 1, msg->address_n(msg->address_n_size() - 1) + 1);
  }
  return EthereumGetAddress(*msg, eth_master_);
}

absl::StatusOr<Reply> TrezorDevice::OnEthereumSignTx(const WireMessage& in) {
  auto msg = ParseMessage<hw::trezor::messages::ethereum::EthereumSignTxEIP1559>(in);
  if (!msg.ok()) return msg.status();
  auto started = EthereumSigner::Start(*msg, eth_master_, config_.malice);
  if (!started.ok()) return started.status();
  flow_ = std::move(started->first);
  return std::move(started->second);
}

}  // namespace stakeward::mocks::trezor
