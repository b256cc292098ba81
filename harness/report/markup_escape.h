#pragma once
// Data made safe for XML and HTML. The JUnit and HTML reports put data into markup (step
// messages, event fields, scenario names) and data may hold anything: quotes, angle
// brackets, control characters, bytes that are not UTF-8.

#include <string>
#include <string_view>

namespace mepsim::report {

// `text` with & < > " ' escaped; bytes that are not UTF-8 become U+FFFD and the characters
// XML 1.0 forbids even as references (C0 controls but tab, newline and return; U+FFFE,
// U+FFFF) become a visible "\x01" or "\uFFFE". Other non-ASCII text is kept as it is.
std::string escape_markup(std::string_view text);

// The same for an attribute value, where tab, newline and return are written as character
// references too: a parser would otherwise give them back as spaces.
std::string escape_attribute(std::string_view text);

}  // namespace mepsim::report
