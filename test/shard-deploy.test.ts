/** deploy/: the engine files agree with each other and with the CLI, so the examples can't drift. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseAllDocuments, parse } from 'yaml';
import { main } from '../src/cli.ts';
import { resolveShard } from '../src/cli/shard-spec.ts';

const read = (f: string) => readFileSync(new URL(`../deploy/${f}`, import.meta.url), 'utf8');
const repo = (f: string) => new URL(`../${f}`, import.meta.url);
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

test('Kubernetes: an Indexed Job with completions = SCALEBENCH_SHARDS, writing to the claim the merge Job reads', () => {
  const docs = parseAllDocuments(read('k8s-job.yaml')).map((d) => d.toJS() as Any);
  const pvc = docs.find((d) => d.kind === 'PersistentVolumeClaim');
  const job = docs.find((d) => d.kind === 'Job');
  assert.equal(job.spec.completionMode, 'Indexed');
  const pod = job.spec.template.spec;
  const c = pod.containers[0];
  const shards = c.env.find((e: Any) => e.name === 'SCALEBENCH_SHARDS').value;
  assert.equal(job.spec.completions, Number(shards));
  assert.equal(c.args[0], 'sweep');
  assert.ok(existsSync(repo(c.args[1])), c.args[1]);
  assert.equal(after(c.args, '--results-dir'), c.volumeMounts[0].mountPath);
  assert.equal(pod.volumes[0].persistentVolumeClaim.claimName, pvc.metadata.name);
  assert.deepEqual(resolveShard({}, { JOB_COMPLETION_INDEX: String(job.spec.completions - 1), SCALEBENCH_SHARDS: shards }), { index: job.spec.completions - 1, count: job.spec.completions, source: 'JOB_COMPLETION_INDEX with SCALEBENCH_SHARDS' });
  assert.deepEqual(pod.containers[0].name, job.spec.podFailurePolicy.rules[0].onExitCodes.containerName);

  const merge = (parse(read('k8s-merge.yaml')) as Any).spec.template.spec;
  const m = merge.containers[0];
  assert.deepEqual(m.args, ['merge', c.args[1], '--results-dir', m.volumeMounts[0].mountPath]);
  assert.equal(m.volumeMounts[0].mountPath, after(c.args, '--results-dir'));
  assert.equal(merge.volumes[0].persistentVolumeClaim.claimName, pvc.metadata.name);
});

test('Slurm: the array\'s task ids map onto shards 0..n-1, and the default experiment exists', () => {
  const script = read('slurm-sweep.sbatch');
  const [, lo, hi] = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(script)!;
  const n = Number(hi) - Number(lo) + 1;
  for (let id = Number(lo); id <= Number(hi); id++) {
    assert.equal(resolveShard({}, { SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: lo, SLURM_ARRAY_TASK_COUNT: String(n) })?.index, id - Number(lo));
  }
  const experiment = /EXPERIMENT="\$\{1:-([^}]+)\}"/.exec(script)![1];
  assert.ok(existsSync(repo(experiment)), experiment);
  assert.match(script, /exec node bin\/scalebench\.js sweep "\$EXPERIMENT" --results-dir "\$RESULTS"/);
});

test('GitHub Actions: the matrix lists shards 0..SHARDS-1; the example lives outside .github/workflows', () => {
  const wf = parse(read('github-actions.yml')) as Any;
  assert.deepEqual(wf.jobs.sweep.strategy.matrix.shard, Array.from({ length: wf.env.SHARDS }, (_, i) => i));
  assert.match(wf.jobs.sweep.steps.map((s: Any) => s.run ?? '').join('\n'), /scalebench sweep "\$EXPERIMENT" --shard \$\{\{ matrix\.shard \}\}\/\$SHARDS/);
  assert.deepEqual(wf.jobs.merge.needs, 'sweep');
  assert.ok(existsSync(repo(wf.on.workflow_dispatch.inputs.experiment.default)));
  assert.ok(!existsSync(repo('.github/workflows/github-actions.yml')));
});

test('deploy/README: the plan step of the flow runs, and the quoted shard line is what sweep prints', async () => {
  const readme = read('README.md');
  const planCmd = /^npx scalebench (plan \S+ --shards (\d+))$/m.exec(readme)!;
  let out = '';
  const code = await main(planCmd[1].split(' '), { out: (s) => (out += s), err: () => {} });
  assert.equal(code, 0);
  const shardLine = /`(mnist-width-depth): shard 1\/4 \(JOB_COMPLETION_INDEX with SCALEBENCH_SHARDS\): (\d+) of (\d+) trials`/.exec(readme)!;
  const table = out.split('\n').filter((l) => /^\d+\/4 /.test(l));
  assert.equal(table[1].split(/ +/)[1], shardLine[2]);
  assert.match(out, new RegExp(`^total: ${shardLine[3]} trials`, 'm'));
});
