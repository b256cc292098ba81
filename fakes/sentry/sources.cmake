# zlib: Content-Encoding gzip and deflate request bodies (cmake/Dependencies.cmake finds it).
target_sources(mepsim_fakes PRIVATE
  sentry/body_encoding.cc
  sentry/envelope.cc
  sentry/event_summary.cc
  sentry/issue_store.cc
  sentry/rate_limiter.cc
  sentry/routes_ingest.cc
  sentry/routes_web_api.cc
  sentry/sentry_auth.cc
  sentry/sentry_fake.cc
)
target_link_libraries(mepsim_fakes PRIVATE ZLIB::ZLIB)
