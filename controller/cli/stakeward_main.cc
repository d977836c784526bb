// Entry point of the `stakeward` CLI. Subcommands come from the cmd_*.cc registrars.
#include <cstdio>
#include <exception>

#include "controller/cli/command.h"

namespace stakeward::cli {
std::vector<Registrar>& Registrars() {
  static std::vector<Registrar> r;
  return r;
}
}  // namespace stakeward::cli

namespace {

// Every command's --help ends with the exit-code table (or its own, more precise, line).
void AddExitCodeFooters(CLI::App* app) {
  if (app->get_footer().empty()) app->footer(stakeward::cli::kExitCodesHelp);
  for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; })) {
    AddExitCodeFooters(sub);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "stakeward: DAO stake delegation for a liquid-staking bridge, signed on hardware wallets"};
  app.set_version_flag("--version",
                       "stakeward " STAKEWARD_VERSION " (commit " STAKEWARD_COMMIT ")");
  app.require_subcommand(1);
  for (auto& r : stakeward::cli::Registrars()) r(app);
  AddExitCodeFooters(&app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    // Commands report failures as RuntimeError; App::exit() would print nothing for them.
    std::fprintf(stderr, "stakeward: %s\n", e.what());
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" that exit 0; every other command-line error is usage.
    return app.exit(e) == 0 ? stakeward::cli::kExitOk : stakeward::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stakeward: %s\n", e.what());
    return stakeward::cli::kExitInternal;
  }
  return 0;
}
