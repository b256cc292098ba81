target_sources(mepsim_fakes PRIVATE
  scalingo/api_context.cc
  scalingo/github_integration.cc
  scalingo/json_views.cc
  scalingo/jwt.cc
  scalingo/operations_body.cc
  scalingo/routes_apps.cc
  scalingo/routes_auth.cc
  scalingo/routes_containers.cc
  scalingo/routes_deployments.cc
  scalingo/routes_one_off.cc
  scalingo/routes_scm.cc
  scalingo/routes_variables.cc
  scalingo/scalingo_api.cc
  scalingo/scm_body.cc
  scalingo/variables_body.cc
)
