/**
 * A second app built only on the public API of @todo-stack/constructs (not the todo stack): a
 * guestbook with a public web tier and an autoscaled API that only the web tier may call.
 *
 *   node lib/tools/run.js examples/guestbook/main.ts <outdir>   # in this repository
 *   node main.js <outdir>                                       # in an app that installed the package
 *
 * It writes one YAML file to <outdir> (default examples/guestbook/dist), which passes
 * `npm run validate`.
 */
import { App, Chart } from 'cdk8s';
import {
  DefaultDenyNetworkPolicy, HardenedNamespace, PublicWebService, ScaledBackend, selectorLabels, standardLabels,
} from '@todo-stack/constructs';

const namespace = 'guestbook';
const version = '2.3.0';
const labels = (component: string) => ({
  labels: standardLabels({ partOf: 'guestbook', instance: 'guestbook', component, version, environment: 'demo' }),
  selectorLabels: selectorLabels({ instance: 'guestbook', component }),
});

const app = new App({ outdir: process.argv[2] ?? 'examples/guestbook/dist', outputFileExtension: '.yaml' });
const chart = new Chart(app, 'guestbook', { disableResourceNameHashes: true });

new HardenedNamespace(chart, 'Namespace', { name: namespace, labels: labels('platform').labels });
new DefaultDenyNetworkPolicy(chart, 'DefaultDeny', { name: 'guestbook-default-deny', namespace, labels: labels('platform').labels });

const api = new ScaledBackend(chart, 'Api', {
  name: 'guestbook-api',
  namespace,
  ...labels('api'),
  description: 'Guestbook API: stores and lists entries.',
  image: 'ghcr.io/example/guestbook-api:2.3.0',
  port: 8080,
  healthPath: '/healthz',
  replicas: 2,
  maxReplicas: 6,
  cpu: { request: '100m', limit: '300m' },
  memory: { request: '96Mi', limit: '192Mi' },
});

const web = new PublicWebService(chart, 'Web', {
  name: 'guestbook-web',
  namespace,
  ...labels('web'),
  description: 'Guestbook web UI, reached through a LoadBalancer.',
  image: 'ghcr.io/example/guestbook-web:2.3.0',
  port: 3000,
  servicePort: 80,
  healthPath: '/',
  replicas: 2,
  cpu: { request: '50m', limit: '200m' },
  memory: { request: '64Mi', limit: '128Mi' },
  serviceType: 'LoadBalancer',
});

api.allowFrom(web);
app.synth();
