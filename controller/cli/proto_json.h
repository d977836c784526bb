// --json output of the controller commands: the response message in the proto3 JSON mapping
// (field names as in the .proto, bytes as base64, 64-bit integers as strings, defaults printed).
#ifndef STAKEWARD_CONTROLLER_CLI_PROTO_JSON_H_
#define STAKEWARD_CONTROLLER_CLI_PROTO_JSON_H_

#include <string>

#include "absl/status/status.h"
#include "controller/cli/exit_codes.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"

namespace stakeward::cli {

inline std::string ProtoJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.always_print_primitive_fields = true;
  opts.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(m, &out, opts).ok()) {
    ThrowStatus(absl::InternalError("cannot print the response as JSON"));
  }
  return out;
}

}  // namespace stakeward::cli

#endif  // STAKEWARD_CONTROLLER_CLI_PROTO_JSON_H_
