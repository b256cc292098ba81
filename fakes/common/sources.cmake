target_sources(mepsim_fakes PRIVATE
  common/hmac.cc
  common/json_fields.cc
  common/request_journal.cc
)
