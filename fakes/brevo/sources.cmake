target_sources(mepsim_fakes PRIVATE
  brevo/brevo_fake.cc
  brevo/send_email_body.cc
)
