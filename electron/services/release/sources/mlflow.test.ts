import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importOpenLineageJson } from '../../../../shared/lineage/import-openlineage';
import { collectMlflow } from './mlflow';

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-mlflow-source-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const RUN_ID = '4f2b9c1d8e7a4b6c9d0e1f2a3b4c5d6e';
const md5 = (...parts: string[]) => {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

function write(file: string, text: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** A model directory as mlflow.sklearn.log_model (MLflow 2.x) writes it. */
function writeModel(dir: string): void {
  write(
    path.join(dir, 'MLmodel'),
    `artifact_path: model
flavors:
  python_function:
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.sklearn
    model_path: model.pkl
    predict_fn: predict
    python_version: 3.10.12
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.3.2
mlflow_version: 2.9.2
model_size_bytes: 1047
model_uuid: 0f4e3a2b1c0d4e5f8a9b0c1d2e3f4a5b
run_id: ${RUN_ID}
signature:
  inputs: '[{"type": "double", "name": "amount", "required": true}]'
  outputs: '[{"type": "long", "required": true}]'
  params: null
utc_time_created: '2026-11-01 11:58:03.123456'
`,
  );
  write(path.join(dir, 'model.pkl'), new Uint8Array([0x80, 0x04, 0x95, 1, 2, 3]));
  write(path.join(dir, 'conda.yaml'), 'channels:\n- conda-forge\ndependencies:\n- python=3.10.12\n- pip:\n  - mlflow==2.9.2\n  - scikit-learn==1.3.2\nname: mlflow-env\n');
  write(path.join(dir, 'python_env.yaml'), 'python: 3.10.12\nbuild_dependencies:\n- pip==23.3.1\ndependencies:\n- -r requirements.txt\n');
  write(path.join(dir, 'requirements.txt'), 'mlflow==2.9.2\nscikit-learn==1.3.2\n');
  write(path.join(dir, 'input_example.json'), '{"columns": ["amount"], "data": [[1.5]]}');
}

/** mlruns/<experiment>/<run>/ as MLflow's FileStore writes it, with a dataset input logged by mlflow.log_input. */
function writeRun(): { runDir: string; experimentDir: string } {
  const experimentDir = fs.mkdtempSync(path.join(work, 'mlruns-')) + '/1';
  const runDir = path.join(experimentDir, RUN_ID);
  write(path.join(experimentDir, 'meta.yaml'), `artifact_location: file://${experimentDir}\nexperiment_id: '1'\nlifecycle_stage: active\nname: fraud\n`);
  write(
    path.join(runDir, 'meta.yaml'),
    `artifact_uri: file://${runDir}/artifacts
end_time: 1793534400000
entry_point_name: ''
experiment_id: '1'
lifecycle_stage: active
run_id: ${RUN_ID}
run_name: bold-heron-42
run_uuid: ${RUN_ID}
source_name: ''
source_type: 4
source_version: ''
start_time: 1793530800000
status: 3
tags: []
user_id: ci
`,
  );
  write(path.join(runDir, 'params/random_state'), '42');
  write(path.join(runDir, 'params/n_estimators'), '300');
  write(path.join(runDir, 'metrics/auc'), '1793530900000 0.91 0\n1793531000000 0.935 1\n1793532000000 0.942 2\n');
  write(path.join(runDir, 'metrics/val/loss'), '1793530900000 0.5 0\n1793531000000 nan 1\n');
  write(path.join(runDir, 'metrics/legacy'), '1793530900000 7.5\n');
  write(path.join(runDir, 'tags/mlflow.runName'), 'bold-heron-42');
  write(path.join(runDir, 'tags/mlflow.source.git.commit'), '1234abcd1234abcd1234abcd1234abcd1234abcd');
  writeModel(path.join(runDir, 'artifacts/model'));
  const datasetDigest = 'a1b2c3d4';
  const datasetId = md5('transactions-q1', datasetDigest);
  write(
    path.join(experimentDir, 'datasets', datasetId, 'meta.yaml'),
    `digest: ${datasetDigest}\nname: transactions-q1\nprofile: '{"num_rows": 1000}'\nschema: '{"mlflow_colspec": []}'\nsource: '{"uri": "s3://bucket/transactions-q1.parquet"}'\nsource_type: s3\n`,
  );
  write(
    path.join(runDir, 'inputs', md5(datasetId, RUN_ID), 'meta.yaml'),
    `destination_id: ${datasetId}\ndestination_type: RUN\nsource_id: ${datasetId}\nsource_type: DATASET\ntags:\n  mlflow.data.context: training\n`,
  );
  return { runDir, experimentDir };
}

describe('collectMlflow: a model directory', () => {
  it('ships MLmodel as config, the environment files as lock files and the rest as model files, and records the model', async () => {
    const dir = path.join(work, 'model-only', 'model');
    writeModel(dir);
    const contribution = await collectMlflow(dir);
    expect(contribution.files.map(({ name, kind }) => ({ name, kind }))).toEqual([
      { name: 'mlflow/model/MLmodel', kind: 'config' },
      { name: 'mlflow/model/conda.yaml', kind: 'lockfile' },
      { name: 'mlflow/model/input_example.json', kind: 'other' },
      { name: 'mlflow/model/model.pkl', kind: 'model' },
      { name: 'mlflow/model/python_env.yaml', kind: 'lockfile' },
      { name: 'mlflow/model/requirements.txt', kind: 'lockfile' },
    ]);
    expect(contribution.environment).toEqual({
      mlflow: {
        models: [
          {
            path: 'mlflow/model',
            flavors: ['python_function', 'sklearn'],
            runId: RUN_ID,
            modelUuid: '0f4e3a2b1c0d4e5f8a9b0c1d2e3f4a5b',
            mlflowVersion: '2.9.2',
            createdAt: '2026-11-01 11:58:03.123456',
            signature: { inputs: '[{"type": "double", "name": "amount", "required": true}]', outputs: '[{"type": "long", "required": true}]', params: null },
          },
        ],
      },
    });
  });

  it('refuses a flavor path that leaves the directory, a symlinked model file, Python tags and a huge MLmodel', async () => {
    const escaping = path.join(work, 'escaping', 'model');
    writeModel(escaping);
    fs.writeFileSync(path.join(escaping, 'MLmodel'), fs.readFileSync(path.join(escaping, 'MLmodel'), 'utf8').replace('pickled_model: model.pkl', 'pickled_model: ../../../etc/passwd'));
    await expect(collectMlflow(escaping)).rejects.toThrow(/pickled_model: "..\/..\/..\/etc\/passwd" leaves the directory/);

    const linked = path.join(work, 'linked', 'model');
    writeModel(linked);
    fs.rmSync(path.join(linked, 'model.pkl'));
    fs.symlinkSync('/etc/passwd', path.join(linked, 'model.pkl'));
    await expect(collectMlflow(linked)).rejects.toMatchObject({ code: 'hostile-input' });

    const tagged = path.join(work, 'tagged', 'model');
    writeModel(tagged);
    fs.appendFileSync(path.join(tagged, 'MLmodel'), 'extra: !!python/object/apply:os.system ["id"]\n');
    await expect(collectMlflow(tagged)).rejects.toMatchObject({ code: 'invalid-format' });

    const huge = path.join(work, 'huge', 'model');
    writeModel(huge);
    fs.appendFileSync(path.join(huge, 'MLmodel'), `padding: "${'x'.repeat(1024 * 1024)}"\n`);
    await expect(collectMlflow(huge)).rejects.toThrow(/more than the 1048576-byte cap/);
  });

  it('refuses a directory that is neither a model nor a run', async () => {
    const plain = fs.mkdtempSync(path.join(work, 'plain-'));
    await expect(collectMlflow(plain)).rejects.toThrow(/neither an MLflow model directory/);
  });
});

describe('collectMlflow: a run directory', () => {
  it('gives the seed, the latest metrics, the run, its models, and the dataset inputs as OpenLineage lineage', async () => {
    const { runDir } = writeRun();
    const contribution = await collectMlflow(runDir);
    expect(contribution.metrics).toEqual({ auc: 0.942, legacy: 7.5 });
    expect(contribution.environment.seed).toBe(42);
    expect(contribution.environment.mlflow).toMatchObject({
      run: { runId: RUN_ID, experimentId: '1', runName: 'bold-heron-42', status: 'FINISHED', sourceGitCommit: '1234abcd1234abcd1234abcd1234abcd1234abcd', nonFiniteMetrics: ['val/loss'], seedParam: 'random_state' },
      models: [{ path: 'mlflow/model', runId: RUN_ID }],
    });
    expect(contribution.files.map((file) => file.name)).toContain('mlflow/model/model.pkl');

    expect(contribution.lineage.map((file) => file.fileName)).toEqual(['mlflow-run.openlineage.json']);
    const lineage = importOpenLineageJson('mlflow-run.openlineage.json', contribution.lineage[0]!.bytes, 1 << 20);
    expect(lineage.nodes.map((node) => [node.id, node.version])).toEqual(
      expect.arrayContaining([
        ['dataset:mlflow:transactions-q1', 'a1b2c3d4'],
        ['job:mlflow:experiment-1/bold-heron-42', null],
        ['dataset:countersign:mlflow/model/MLmodel', null],
      ]),
    );
    expect(lineage.edges.map((edge) => `${edge.from} -> ${edge.to}`)).toEqual(
      expect.arrayContaining(['dataset:mlflow:transactions-q1 -> job:mlflow:experiment-1/bold-heron-42', 'job:mlflow:experiment-1/bold-heron-42 -> dataset:countersign:mlflow/model/MLmodel']),
    );
  });

  it('takes the highest step as the latest metric, not the last line', async () => {
    const { runDir } = writeRun();
    fs.writeFileSync(path.join(runDir, 'metrics/auc'), '1793530900000 0.95 5\n1793531000000 0.90 2\n');
    expect((await collectMlflow(runDir)).metrics.auc).toBe(0.95);
  });

  it('refuses a malformed metric line, an input naming a dataset outside the experiment, and a run without a run ID', async () => {
    const bad = writeRun();
    fs.writeFileSync(path.join(bad.runDir, 'metrics/auc'), '1793530900000 0.95 5\nnot a metric\n');
    await expect(collectMlflow(bad.runDir)).rejects.toThrow(/metrics\/auc line 2/);

    const traversal = writeRun();
    const inputs = path.join(traversal.runDir, 'inputs');
    const [inputId] = fs.readdirSync(inputs);
    fs.writeFileSync(path.join(inputs, inputId!, 'meta.yaml'), 'destination_type: RUN\nsource_id: ../../../../etc\nsource_type: DATASET\ntags: {}\n');
    await expect(collectMlflow(traversal.runDir)).rejects.toMatchObject({ code: 'hostile-input' });

    const noId = writeRun();
    fs.writeFileSync(path.join(noId.runDir, 'meta.yaml'), 'experiment_id: "1"\nstatus: 3\n');
    await expect(collectMlflow(noId.runDir)).rejects.toThrow(/no run_id/);
  });

  it('refuses a params folder that links out of the run', async () => {
    const { runDir } = writeRun();
    fs.rmSync(path.join(runDir, 'params'), { recursive: true });
    fs.symlinkSync('/etc', path.join(runDir, 'params'));
    await expect(collectMlflow(runDir)).rejects.toThrow(/params is a symbolic link/);
  });
});
