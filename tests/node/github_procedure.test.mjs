// The release procedure's GitHub and Mattermost steps (PROCEDURE.md "Release note") with the
// real @octokit/rest against mepsim's GitHub fake, unchanged: after the MEP push, the
// review_app pull request is merged; release and notes from the pushed tag; milestone with
// its tickets closed; the note posted to Mattermost.
// Run by tests/integration/github_procedure_test.cc with the env file of a `mepsim up`,
// once main was merged, pushed and tagged 1.7.4 (TAG, PREVIOUS_TAG in the environment).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';

const octokit = new Octokit({ auth: process.env.GITHUB_TOKEN, baseUrl: process.env.GITHUB_API_URL });
const owner = 'MTES-MCT';
const repo = 'histologe';
const tag = process.env.TAG;
const previous = process.env.PREVIOUS_TAG;

test('the review_app pull request is merged by the push of main (R3)', async () => {
  const { data: pull } = await octokit.pulls.get({ owner, repo, pull_number: 1141 });
  assert.equal(pull.merged, true);
  assert.equal(pull.state, 'closed');
  assert.ok(pull.merged_at);
});

test('generate-notes then a release from the tag: Features, Bug fixes, Full Changelog', async () => {
  const { data: notes } = await octokit.repos.generateReleaseNotes({
    owner, repo, tag_name: tag, previous_tag_name: previous,
  });
  assert.match(notes.body, /## Features/);
  assert.match(notes.body, /## Bug fixes/);
  assert.match(notes.body, new RegExp(`\\*\\*Full Changelog\\*\\*: .*/compare/${previous}\\.\\.\\.${tag}`));
  assert.match(notes.body, /#1135/);
  assert.match(notes.body, /#1138/);
  const { data: release } = await octokit.repos.createRelease({
    owner, repo, tag_name: tag, name: tag, body: notes.body, draft: false, prerelease: false,
  });
  assert.equal(release.tag_name, tag);
  assert.equal(release.body, notes.body);
  const { data: latest } = await octokit.repos.getLatestRelease({ owner, repo });
  assert.equal(latest.tag_name, tag);
});

test('milestone vX.Y.Z with its tickets assigned and closed', async () => {
  const { data: milestone } = await octokit.issues.createMilestone({ owner, repo, title: `v${tag}` });
  assert.equal(milestone.title, `v${tag}`);
  for (const issue_number of [1135, 1138]) {
    const { data: issue } = await octokit.issues.update({
      owner, repo, issue_number, milestone: milestone.number, state: 'closed',
    });
    assert.equal(issue.state, 'closed');
  }
  const { data: issues } = await octokit.issues.listForRepo({
    owner, repo, milestone: String(milestone.number), state: 'all',
  });
  assert.deepEqual(issues.map((i) => i.number).sort(), [1135, 1138]);
  assert.ok(issues.every((i) => i.state === 'closed'));
  await assert.rejects(
    octokit.issues.createMilestone({ owner, repo, title: `v${tag}` }),
    (error) => error.status === 422,
  );
});

test('the note is posted to the team Mattermost channel', async () => {
  const { data: release } = await octokit.repos.getReleaseByTag({ owner, repo, tag });
  const response = await fetch(process.env.MATTERMOST_WEBHOOK_URL, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: release.body, username: 'mep' }),
  });
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'ok');
});
