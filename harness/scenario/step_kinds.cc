#include "harness/scenario/step_parsers.h"

namespace mepsim::scenario::steps {

const std::vector<std::pair<std::string_view, StepParser>>& step_parsers() {
  static const std::vector<std::pair<std::string_view, StepParser>> parsers = {
      {"git", parse_git},
      {"write_file", parse_write_file},
      {"scalingo", parse_scalingo},
      {"github", parse_github},
      {"ci", parse_ci},
      {"mattermost", parse_mattermost},
      {"http", parse_http},
      {"sessions", parse_sessions},
      {"wait", parse_wait},
      {"wait_until", parse_wait_until},
      {"load", parse_load},
      {"fault", parse_fault},
      {"expect", parse_expect},
  };
  return parsers;
}

}  // namespace mepsim::scenario::steps
