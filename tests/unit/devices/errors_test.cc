// Error translation tables: one function per vendor, raw code kept in the message.
#include "devices/ledger/errors.h"

#include "devices/trezor/errors.h"
#include "gtest/gtest.h"

namespace stakeward::devices {
namespace {

using absl::StatusCode;

struct SwRow {
  uint16_t sw;
  ledger::LedgerApp app;
  StatusCode code;
  const char* must_mention;
};

TEST(LedgerErrors, StatusWordTable) {
  const SwRow rows[] = {
      {0x9000, ledger::LedgerApp::kCardano, StatusCode::kOk, ""},
      {0x6e09, ledger::LedgerApp::kCardano, StatusCode::kCancelled, "rejected"},
      {0x5501, ledger::LedgerApp::kCardano, StatusCode::kCancelled, "refused"},
      {0x6985, ledger::LedgerApp::kEthereum, StatusCode::kCancelled, "rejected"},
      {0x6e11, ledger::LedgerApp::kCardano, StatusCode::kFailedPrecondition, "locked"},
      {0x5515, ledger::LedgerApp::kEthereum, StatusCode::kFailedPrecondition, "locked"},
      {0x6e00, ledger::LedgerApp::kCardano, StatusCode::kFailedPrecondition, "Cardano ADA"},
      {0x6e00, ledger::LedgerApp::kEthereum, StatusCode::kFailedPrecondition, "Ethereum"},
      {0x6e02, ledger::LedgerApp::kEthereum, StatusCode::kFailedPrecondition, "Ethereum"},
      {0x6d02, ledger::LedgerApp::kCardano, StatusCode::kFailedPrecondition, "Cardano ADA"},
      // Dashboard / another app / settings: "open the app", never "bad request data".
      {0x6e01, ledger::LedgerApp::kCardano, StatusCode::kFailedPrecondition,
       "open the \"Cardano ADA\" app on your Ledger"},
      {0x6e01, ledger::LedgerApp::kEthereum, StatusCode::kFailedPrecondition,
       "open the \"Ethereum\" app on your Ledger"},
      {0x6e00, ledger::LedgerApp::kCardano, StatusCode::kFailedPrecondition, "dashboard"},
      {0x6901, ledger::LedgerApp::kCardano, StatusCode::kFailedPrecondition, "Cardano ADA"},
      {0x5515, ledger::LedgerApp::kCardano, StatusCode::kFailedPrecondition,
       "unlock it with your PIN on the device"},
      {0x6e10, ledger::LedgerApp::kCardano, StatusCode::kFailedPrecondition, "policy"},
      {0x6e03, ledger::LedgerApp::kCardano, StatusCode::kFailedPrecondition, "7.0.0"},
      {0x6e07, ledger::LedgerApp::kCardano, StatusCode::kInvalidArgument, "data"},
      {0x6a80, ledger::LedgerApp::kEthereum, StatusCode::kInvalidArgument, "data"},
      {0x6e06, ledger::LedgerApp::kCardano, StatusCode::kInternal, "order"},
      {0x6f42, ledger::LedgerApp::kEthereum, StatusCode::kInternal, "internal"},
      {0x1234, ledger::LedgerApp::kCardano, StatusCode::kUnknown, "unexpected"},
  };
  for (const auto& r : rows) {
    absl::Status s = ledger::TranslateStatusWord(r.sw, r.app, "test");
    EXPECT_EQ(s.code(), r.code) << std::hex << r.sw;
    if (!s.ok()) {
      char raw[16];
      std::snprintf(raw, sizeof(raw), "0x%04x", r.sw);
      EXPECT_NE(s.message().find(raw), absl::string_view::npos) << s;
      EXPECT_NE(s.message().find(r.must_mention), absl::string_view::npos) << s;
    }
  }
}

TEST(LedgerErrors, IncorrectDataWithCalldataMeansBlindSigningIsOff) {
  // app-ethereum src/features/sign_tx/logic_sign_tx.c: calldata with the Blind signing setting
  // off ends in SWO_INCORRECT_DATA (0x6A80).
  absl::Status s = ledger::TranslateStatusWord(0x6a80, ledger::LedgerApp::kEthereum, "sign",
                                               ledger::SwContext{true});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("enable Blind signing in the Ethereum app's settings on your Ledger"),
            absl::string_view::npos)
      << s;
  EXPECT_NE(s.message().find("0x6a80"), absl::string_view::npos) << s;
  // Without calldata the same word is bad data.
  EXPECT_EQ(ledger::TranslateStatusWord(0x6a80, ledger::LedgerApp::kEthereum, "sign").code(),
            StatusCode::kInvalidArgument);
}

struct FailureRow {
  int code;
  StatusCode status;
};

TEST(TrezorErrors, FailureTable) {
  const FailureRow rows[] = {
      {4, StatusCode::kCancelled},
      {6, StatusCode::kCancelled},
      {5, StatusCode::kFailedPrecondition},
      {7, StatusCode::kFailedPrecondition},
      {11, StatusCode::kFailedPrecondition},
      {17, StatusCode::kFailedPrecondition},
      {3, StatusCode::kInvalidArgument},
      {9, StatusCode::kInvalidArgument},
      {15, StatusCode::kUnavailable},
      {14, StatusCode::kUnavailable},
      {1, StatusCode::kInternal},
      {99, StatusCode::kInternal},
      {42, StatusCode::kUnknown},
  };
  for (const auto& r : rows) {
    absl::Status s =
        trezor::TranslateFailure(r.code, "Invalid certificate", "CardanoTxCertificate");
    EXPECT_EQ(s.code(), r.status) << r.code;
    EXPECT_NE(s.message().find("Failure code " + std::to_string(r.code)), absl::string_view::npos);
    EXPECT_NE(s.message().find("Invalid certificate"), absl::string_view::npos);
  }
  // PIN failures say what to do on the device.
  EXPECT_NE(trezor::TranslateFailure(6, "PIN entry cancelled", "x").message().find("enter the PIN"),
            absl::string_view::npos);
  EXPECT_NE(trezor::TranslateFailure(7, "PIN invalid", "x").message().find("correct PIN"),
            absl::string_view::npos);
  EXPECT_EQ(trezor::PinRequestedOnHost().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace stakeward::devices
