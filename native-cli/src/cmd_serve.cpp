// `ordertrail serve ARGS`: runs the order service, `ordertrail-serve ARGS`
// (RULES "The order service"). The service is its own executable so that
// this one links neither cpp-httplib nor SQLite: it is looked for next to
// this binary first, then on PATH.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "commands.hpp"
#include "io.hpp"

namespace ordertrail::cli {

int cmd_serve(int argc, char** argv) {
  std::vector<char*> args;
  std::string name = "ordertrail-serve";
  args.push_back(name.data());
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::string sibling = (self.parent_path() / name).string();
    if (::access(sibling.c_str(), X_OK) == 0) ::execv(sibling.c_str(), args.data());
  }
  ::execvp(name.c_str(), args.data());
  diag("ordertrail serve: cannot run ordertrail-serve (" + std::string(std::strerror(errno)) +
       "); it is installed next to ordertrail");
  return exit_io;
}

}  // namespace ordertrail::cli
