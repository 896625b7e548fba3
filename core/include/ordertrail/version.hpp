// ordertrail/version.hpp
#pragma once

#include <string_view>

namespace ordertrail {
// The library version, e.g. "0.2.0".
std::string_view version();
}  // namespace ordertrail
