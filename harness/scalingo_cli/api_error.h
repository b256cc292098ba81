#pragma once
// What a refused Scalingo API request means, in the words the real `scalingo` CLI uses
// (go-scalingo's http/errors.go and the CLI's cmd/error.go), so that a rehearsal shows
// the engineer the messages production will show.

#include <string>
#include <string_view>

#include "sim/core/result.h"

namespace mepsim::scalingo_cli {

// A non-2xx answer as an Error: 404 {"resource":"app",…} → not_found "The application was
// not found, did you make a typo?", 422 {"errors":{…}} → invalid_input "422 Unprocessable
// Content\n* field → message", 401 → invalid_input "unauthorized - …", and so on.
Error api_error(int status, std::string_view body);

}  // namespace mepsim::scalingo_cli
