// libFuzzer target for the cardano-cli query importers (policy/cli_import.h) and the tip reader of
// `snapshot import --from-dir` (chainsource/cli_dir.h). Input: byte 0 picks the importer; the
// rest is the file text. Importers run on a copy of policy/samples/snapshot.json (so pools and
// slots exist), followed by NormalizeSnapshot and the snapshot hash, as ImportCliDir does.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "absl/strings/string_view.h"
#include "chain/check.h"
#include "chainsource/cli_dir.h"
#include "policy/cli_import.h"
#include "policy/snapshot.h"

namespace policy = stakeward::policy;

namespace {

const policy::Snapshot& Base() {
  static const policy::Snapshot* base = [] {
    std::ifstream in(std::string(STAKEWARD_SOURCE_DIR) + "/policy/samples/snapshot.json");
    std::stringstream text;
    text << in.rdbuf();
    auto s = policy::LoadSnapshot(text.str());
    SW_CHECK(s.ok());
    return new policy::Snapshot(std::move(*s));
  }();
  return *base;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  policy::Snapshot s = Base();
  absl::Status st;
  switch (data[0] % 8) {
    case 0:
      (void)stakeward::chainsource::ParseCliTip(text);
      return 0;
    case 1:
      st = policy::ImportProtocolParameters(text, s);
      break;
    case 2:
      st = policy::ImportStakePools(text, s);
      break;
    case 3:
      st = policy::ImportPoolState(text, s);
      break;
    case 4:
      st = policy::ImportStakeSnapshot(text, s);
      break;
    case 5:
      st = policy::ImportStakeAddressInfo(text, 0, s);
      break;
    case 6:
      st = policy::ImportUtxo(text, 0, s);
      break;
    default:
      st = policy::ImportUtxo(text, std::nullopt, s);
      break;
  }
  if (st.ok() && policy::NormalizeSnapshot(s).ok()) (void)policy::SnapshotHash(s);
  return 0;
}
