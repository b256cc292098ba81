// The scenario of the secrets test (security_secrets_support.h says what it touches).

#include "tests/integration/security_secrets_support.h"

namespace mepsim::testing {

const char* const kSecretsScenarioYaml = R"(name: secrets-stay-out
description: >
  A short release touching every secret of the run, ending on a failing `scalingo env`
  whose output (every variable of the app) goes into the report.
tags: [security]
expect_violations: [R11-sentry-watch]
waive:
  - rule: R5-release-note
    reason: the release note is rehearsed in production-mep
steps:
  - git: checkout develop
  - write_file:
      path: app.yaml
      content: |
        version: 1.7.5
        migrations:
          - name: Version20260105090000
          - name: Version20260105090100
          - name: Version20260105090200
          - name: Version20260105090300
        faults:
          - route: /bo
            error_rate: 1.0
  - git: commit -am "Refonte de la requête de la liste des signalements"
  - git: push origin develop
  - github: {close_pr: 1141}
  - git: checkout main
  - git: pull origin main
  - git: merge develop --no-edit
  - git: push origin main
  - wait_until:
      deployment: {app: histologe, status: success, version: 1.7.5}
      timeout: 30m
  - http: {as: admin, path: /bo, expect: {status: 500}}
  - http: {as: partner, path: /bo, expect: {status: 500}}
  - sessions: {cohort: security, as: partner, count: 3}
  - http:
      as: api
      method: POST
      path: /api/signalements
      json:
        adresse_logement_adresse: "12 rue de la République"
        adresse_logement_adresse_detail_code_postal: "13001"
        adresse_logement_adresse_detail_commune: Marseille
        vos_coordonnees_occupant_email: occupant@example.org
        vos_coordonnees_occupant_nom: Martin
        profil: locataire
      expect: {status: 201}
  - mattermost: {text: "MEP 1.7.5 : déploiement en cours"}
  - wait: 30m
  - expect:
      sentry: {app: histologe, release: 1.7.5, window: 2h, new_issues: {min: 1}}
  - scalingo: {command: "-a histologe env", output_contains: "NO_VARIABLE_HAS_THIS_NAME"}
)";

}  // namespace mepsim::testing
