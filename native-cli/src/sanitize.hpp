// Untrusted text (item names, notes, ids, reasons, and any core sentence that
// quotes them) made safe to print on a terminal (SPEC section 7).
#pragma once

#include <string>
#include <string_view>

namespace ordertrail::cli {

// Returns `text` with everything that could move the cursor, change colours
// or reorder what a reader sees removed:
//   - whole escape sequences: ESC + CSI (`ESC [ ... final`), OSC/DCS/SOS/PM/APC
//     strings (up to BEL or ST), and two-byte `ESC x` sequences; the same for
//     the 8-bit C1 introducers (U+009B CSI, U+009D OSC, U+0090 DCS, ...);
//   - the other C0 controls, DEL and C1 controls (U+0080..U+009F);
//   - bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069).
// TAB, LF, CR, VT, FF and U+2028/U+2029 become one space each, so words stay
// apart on one line. Bytes that are not valid UTF-8 become U+FFFD.
std::string sanitize(std::string_view text);

}  // namespace ordertrail::cli
