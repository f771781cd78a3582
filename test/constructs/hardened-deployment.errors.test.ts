import { Testing } from 'cdk8s';
import { HardenedDeployment, type HardenedDeploymentProps } from '../../constructs';
import { workloadProps } from '../support';

const build = (overrides: Partial<HardenedDeploymentProps>) => () => new HardenedDeployment(Testing.chart(), 'Web', workloadProps('web', overrides));

describe('HardenedDeployment validation', () => {
  test('throws if the image is "latest"', () => {
    expect(build({ image: 'example/web:latest' })).toThrow('Web: image is not a pinned image reference: tag "latest" must not be "latest": pin an explicit version or a digest, got "example/web:latest".');
  });

  test('throws if the image has no tag or digest', () => {
    expect(build({ image: 'example/web' })).toThrow(/image is not a pinned image reference: has no tag or digest/);
  });

  test('throws if the image repository is invalid', () => {
    expect(build({ image: 'Example/Web:1.0' })).toThrow(/repository "Example\/Web" must be a valid image repository/);
  });

  test('accepts a digest-pinned image', () => {
    expect(build({ image: `example/web@sha256:${'a'.repeat(64)}` })).not.toThrow();
  });

  test('throws if a limit is below its request, naming the prop', () => {
    expect(build({ cpu: { request: '500m', limit: '200m' } })).toThrow('Web: cpu.limit must be at least the request (500m), got "200m". Raise cpu.limit or lower cpu.request.');
    expect(build({ memory: { request: '1Gi', limit: '512Mi' } })).toThrow(/memory.limit must be at least the request \(1Gi\)/);
  });

  test('throws if a quantity is malformed', () => {
    expect(build({ memory: { request: '128MB', limit: '256Mi' } })).toThrow(/memory.request must be a positive Kubernetes quantity/);
  });

  test('throws if emptyDirs do not fit in the ephemeral-storage limit', () => {
    expect(build({ writablePaths: ['/tmp', '/cache'], emptyDirSizeLimit: '200Mi' })).toThrow(/ephemeralStorage.limit must hold every emptyDir \(2 x 200Mi\), got "256Mi"/);
  });

  test('throws if the selector has a version label', () => {
    const p = workloadProps('web');
    expect(build({ selectorLabels: { ...p.selectorLabels, 'app.kubernetes.io/version': '2.1.0' } })).toThrow(/selectorLabels must not contain "app.kubernetes.io\/version"/);
  });

  test('throws if the labels do not contain the selector', () => {
    expect(build({ selectorLabels: { role: 'web' } })).toThrow(/labels must contain every selector label \(role=web\)/);
  });

  test('throws if runAsUser is 0', () => {
    expect(build({ runAsUser: 0 })).toThrow('Web: runAsUser must be an integer from 1 to 2147483647, got 0. UID 0 is root, which Pod Security Standards "restricted" forbids.');
  });

  test('throws if the port is out of range', () => {
    expect(build({ port: 70000 })).toThrow('Web: port must be an integer from 1 to 65535, got 70000.');
  });

  test('throws if replicas is below 1', () => {
    expect(build({ replicas: 0 })).toThrow('Web: replicas must be an integer from 1 to 10000, got 0.');
  });

  test('throws if the name is not a DNS label', () => {
    expect(build({ name: 'Web_App' })).toThrow(/name must be a DNS-1123 label/);
  });

  test('throws if the readiness probe starts later than 20 s', () => {
    expect(build({ readinessProbe: { initialDelaySeconds: 30 } })).toThrow(/readinessProbe.initialDelaySeconds must be at most 20, got 30. Use a startupProbe/);
  });

  test('throws if the health path is not absolute', () => {
    expect(build({ healthPath: 'health' })).toThrow(/healthPath must be an absolute HTTP path/);
  });

  test('throws if a writable path is relative', () => {
    expect(build({ writablePaths: ['tmp'] })).toThrow(/writablePaths must be absolute paths other than \//);
  });

  test('throws if an environment variable is set twice', () => {
    const workload = new HardenedDeployment(Testing.chart(), 'Web', workloadProps('web', { env: { MODE: 'a' } }));
    expect(() => workload.addSecretEnv('MODE', 'secrets')).toThrow('Web: env name is already set, got "MODE". Set each environment variable once.');
  });

  test('throws if the description is empty', () => {
    expect(build({ description: ' ' })).toThrow(/description must not be empty/);
  });
});
