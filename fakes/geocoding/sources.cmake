target_sources(mepsim_fakes PRIVATE
  geocoding/address_search.cc
  geocoding/geocoding_fake.cc
)
