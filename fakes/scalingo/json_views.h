#pragma once
// The platform model's objects as the real Scalingo API writes them: field names,
// RFC 3339 times, null for what is not there yet. Links are absolute, on the fake's own
// base URL, because clients follow them as they are (Operation.refresh, deployment
// output).

#include <nlohmann/json.hpp>
#include <string>

#include "sim/platform/platform.h"

namespace mepsim::fakes::scalingo {

nlohmann::json app_json(const platform::App& app, const std::string& base_url);
nlohmann::json deployment_json(const platform::Deployment& d, const std::string& base_url);
nlohmann::json process_type_json(const platform::ProcessType& p);
// A running container, as `GET /apps/{app}/ps` lists it.
nlohmann::json container_json(const platform::Container& c, const std::string& app_id);
nlohmann::json operation_json(const platform::Operation& op);
nlohmann::json variable_json(const platform::Variable& v);
nlohmann::json scm_link_json(const platform::ScmLink& link, const platform::App& app);
nlohmann::json event_json(const platform::AppEvent& e);
nlohmann::json user_json(const platform::User& u);
nlohmann::json review_app_json(const platform::App& review_app, const platform::App& parent,
                               const std::string& base_url);

// One-off containers: the container as `POST /run` answers it, and the operation the
// run's operation_url shows (pending while it boots, done once it can be attached to).
nlohmann::json one_off_json(const platform::OneOff& run, const std::string& attach_url);
nlohmann::json one_off_operation_json(const platform::OneOff& run, const std::string& attach_url);

// {"prev_page":…,"current_page":…,"next_page":…,"total_pages":…,"total_count":…}
template <typename T>
nlohmann::json pagination_json(const platform::Paged<T>& paged) {
  const bool has_prev = paged.current_page > 1;
  const bool has_next = paged.current_page < paged.total_pages;
  return {{"prev_page", has_prev ? nlohmann::json(paged.current_page - 1) : nlohmann::json()},
          {"current_page", paged.current_page},
          {"next_page", has_next ? nlohmann::json(paged.current_page + 1) : nlohmann::json()},
          {"total_pages", paged.total_pages},
          {"total_count", paged.total_count}};
}

// format_iso8601, or null.
nlohmann::json time_json(const std::optional<Instant>& t);

}  // namespace mepsim::fakes::scalingo
