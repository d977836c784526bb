// Structured logs: one JSON object per line on stderr ({"ts", "level", "msg", ...fields}).
#ifndef STAKEWARD_CONTROLLER_DAEMON_JSON_LOG_H_
#define STAKEWARD_CONTROLLER_DAEMON_JSON_LOG_H_

#include <string_view>

#include "nlohmann/json.hpp"

namespace stakeward::controller {

void LogJson(std::string_view level, std::string_view msg, nlohmann::json fields = {});
// Silences logs (tests that exercise many error paths).
void SetLogQuiet(bool quiet);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_JSON_LOG_H_
