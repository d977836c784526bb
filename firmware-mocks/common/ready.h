// Process plumbing shared by the mock executables: the READY line and clean SIGTERM/SIGINT exit.
#ifndef STAKEWARD_FIRMWARE_MOCKS_COMMON_READY_H_
#define STAKEWARD_FIRMWARE_MOCKS_COMMON_READY_H_

#include <cstdint>
#include <string>
#include <vector>

namespace stakeward::mocks {

// "READY <uri> [<uri>...] control:127.0.0.1:<port>".
std::string FormatReadyLine(const std::vector<std::string>& device_uris, uint16_t control_port);
// Writes the line plus '\n' to stdout and flushes.
void PrintReadyLine(const std::vector<std::string>& device_uris, uint16_t control_port);

// Blocks SIGTERM, SIGINT and SIGPIPE in the calling thread. Call first thing in main(), before
// any thread starts, so every thread inherits the mask and the signals queue for
// WaitForTerminationSignal().
void BlockTerminationSignals();
// Waits for SIGTERM or SIGINT; returns the signal number.
int WaitForTerminationSignal();

// "tcp:127.0.0.1:<port>", "udp:127.0.0.1:<port>".
std::string TcpUri(uint16_t port);
std::string UdpUri(uint16_t port);

}  // namespace stakeward::mocks

#endif  // STAKEWARD_FIRMWARE_MOCKS_COMMON_READY_H_
