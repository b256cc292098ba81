target_sources(mepsim_fakes PRIVATE
  common/admin_api.cc
  common/chaos.cc
  common/fake_server.cc
  common/hmac.cc
  common/json_fields.cc
  common/request_journal.cc
)
