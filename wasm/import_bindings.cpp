// The importers' WebAssembly module (issue 18), apart from the widget's:
// `importOrder(platform, payloadJson, market, sellerId)` -> JSON text (an
// `ordertrail.import/1` document or an `ordertrail.error/1`). The widget's
// module does not link ordertrail::import, so its download does not grow.
#include <emscripten/bind.h>

#include <string>

#include "ordertrail/import.hpp"

namespace {

std::string import_order(const std::string& platform, const std::string& payload, const std::string& market,
                         const std::string& seller_id) {
  return ordertrail::import_order_json(platform, payload, ordertrail::import_options{market, seller_id});
}

}  // namespace

EMSCRIPTEN_BINDINGS(ordertrail_import) { emscripten::function("importOrder", &import_order); }
