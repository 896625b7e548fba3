// ordertrail: the command line for support agents and batch jobs.
#include <csignal>
#include <exception>
#include <string>

#include "commands.hpp"
#include "io.hpp"

int main(int argc, char** argv) {
  // A closed pipe must be a write error we report (exit 4), not a silent death.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return ordertrail::cli::run(argc, argv);
  } catch (const std::exception& e) {
    ordertrail::cli::diag(std::string("internal error: ") + e.what());
    return 70;
  }
}
