target_sources(mepsim_fakes PRIVATE
  mattermost/mattermost_fake.cc
)
