#include "harness/scalingo_cli/deployment_commands.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "harness/scalingo_cli/api_time.h"
#include "harness/scalingo_cli/json_fields.h"
#include "harness/scalingo_cli/table.h"

namespace mepsim::scalingo_cli {
namespace {

using nlohmann::json;

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

Result<json> newest_deployment(CommandContext& context) {
  auto body =
      context.api.call_json(HttpMethod::get, context.app_path("/deployments?page=1&per_page=1"));
  if (!body) return body.error();
  const json& list = array_field(body.value(), "deployments");
  return list.empty() ? json() : list.front();
}

// What a deployment prints while it is followed: its output lines not yet shown, and its
// status when it changes.
class DeploymentPrinter {
 public:
  DeploymentPrinter(CommandContext& context, std::string id)
      : context_(context), id_(std::move(id)) {}

  // Reads the deployment and its output once; returns its status.
  Result<std::string> poll() {
    auto body = context_.api.call_json(HttpMethod::get, path(""));
    if (!body) return body.error();
    const std::string status = string_field(member(body.value(), "deployment"), "status");
    auto output = context_.api.call(ApiRequest{
        HttpMethod::get, context_.api.api_url(path("/output")), {}, Credentials::bearer, {}});
    if (!output) return output.error();
    print_new_lines(output->body, is_finished_status(status));
    if (status != status_) {
      if (status_.empty()) {
        context_.console.print("[STATUS] New status: {}\n", status);
      } else {
        context_.console.print("[STATUS] New status: {} →  {}\n", status_, status);
      }
      status_ = status;
    }
    return status;
  }

 private:
  std::string path(const std::string& rest) const {
    return context_.app_path("/deployments/" + percent_encode(id_) + rest);
  }

  // Whole lines only, until the end: a line still being written is printed next time.
  void print_new_lines(const std::string& output, bool finished) {
    if (output.size() < printed_) printed_ = 0;  // a log that shrank was started over
    std::size_t end = output.size();
    if (!finished) {
      const auto last_newline = output.rfind('\n');
      end = last_newline == std::string::npos ? 0 : last_newline + 1;
    }
    for (std::size_t start = printed_; start < end;) {
      std::size_t stop = output.find('\n', start);
      if (stop == std::string::npos || stop > end) stop = end;
      const std::string line = trim(std::string_view(output).substr(start, stop - start));
      if (!line.empty()) context_.console.print("[LOG] {}\n", line);
      start = stop + 1;
    }
    printed_ = std::max(printed_, end);
  }

  CommandContext& context_;
  std::string id_;
  std::string status_;
  std::size_t printed_ = 0;
};

// The deployment to follow: the newest if it still runs, else the next one to appear.
Result<json> deployment_to_follow(CommandContext& context, const FollowPolling& polling) {
  auto newest = newest_deployment(context);
  if (!newest) return newest.error();
  if (!newest->is_null() && !is_finished_status(string_field(newest.value(), "status"))) {
    return newest;
  }
  const std::string previous_id = string_field(newest.value(), "id");
  for (int poll = 0; poll < polling.start_polls_max; ++poll) {
    context.clock.sleep(polling.interval);
    auto latest = newest_deployment(context);
    if (!latest) return latest.error();
    if (!latest->is_null() && string_field(latest.value(), "id") != previous_id) {
      context.console.print("[NEW] New deploy: {} from {}\n", string_field(latest.value(), "id"),
                            string_field(member(latest.value(), "pusher"), "username"));
      return latest;
    }
  }
  return make_error(ErrorCode::timeout, "no new deployment of " + context.app + " started in " +
                                            std::to_string(polling.start_polls_max) + " polls");
}

}  // namespace

bool is_finished_status(const std::string& status) {
  return status != "queued" && status != "building" && status != "pushing" && status != "starting";
}

int run_deployments(CommandContext& context, DeploymentsPage page) {
  auto body = context.api.call_json(
      HttpMethod::get, context.app_path("/deployments?page=" + std::to_string(page.page) +
                                        "&per_page=" + std::to_string(page.per_page)));
  if (!body) return context.fail(body.error());
  std::vector<TableRow> rows;
  for (const auto& d : array_field(body.value(), "deployments")) {
    const auto duration_s = int_field(d, "duration").value_or(0);
    rows.push_back({string_field(d, "id"), format_cli_time(string_field(d, "created_at")),
                    duration_s != 0 ? go_duration(duration_s) : "n/a",
                    string_field(member(d, "pusher"), "username"), string_field(d, "git_ref"),
                    string_field(d, "status")});
  }
  context.console.print(
      "{}", render_table({"ID", "Date", "Duration", "User", "Git Ref", "Status"}, rows));
  const json& pagination = member(member(body.value(), "meta"), "pagination");
  context.console.print_err("Page: {}, Last Page: {}\n",
                            int_field(pagination, "current_page").value_or(page.page),
                            int_field(pagination, "total_pages").value_or(1));
  return kExitOk;
}

int run_deployment_follow(CommandContext& context, FollowPolling polling) {
  auto deployment = deployment_to_follow(context, polling);
  if (!deployment) return context.fail(deployment.error());
  DeploymentPrinter printer(context, string_field(deployment.value(), "id"));
  for (int poll = 0; poll < polling.follow_polls_max; ++poll) {
    if (poll > 0) context.clock.sleep(polling.interval);
    auto status = printer.poll();
    if (!status) return context.fail(status.error());
    if (!is_finished_status(status.value())) continue;
    if (status.value() == "success") return kExitOk;
    return context.fail(make_error(ErrorCode::unavailable, "Deployment failed"));
  }
  return context.fail(make_error(ErrorCode::timeout, "the deployment is still running after " +
                                                         std::to_string(polling.follow_polls_max) +
                                                         " polls"));
}

}  // namespace mepsim::scalingo_cli
