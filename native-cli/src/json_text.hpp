// JSON for the documents the CLI itself writes (sweep lines, timeline, policy
// listings): the core's writer, so the bytes are escaped exactly as the core's.
#pragma once

#include <ordertrail/json_writer.hpp>

namespace ordertrail::cli {
using json_out = ordertrail::json_writer;
}  // namespace ordertrail::cli
