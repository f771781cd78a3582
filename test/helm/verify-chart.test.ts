import { todoApp } from '../../apps/todo/app';
import { verifyChart } from '../../lib/helm/verify-chart';

/** Synth's chart check (lib/helm/verify-chart.ts): Helm renders the generated chart before it is written. */

const presets = todoApp.environments.map((environment) => {
  const values = todoApp.resolveValues(environment, [], environment);
  return { environment, values, objects: todoApp.synthesize(values) };
});
const chart = () => todoApp.generateChart(presets);
const options = { ...todoApp.chart, references: todoApp.chart.references?.() };

test('the generated chart renders every preset as synth does', () => {
  expect(verifyChart(chart(), presets, options)).toEqual([]);
});

test('a template that renders another field is refused, naming the values file, the object, the field and the template', () => {
  const files = chart();
  const path = 'templates/deployment-backend.yaml';
  files.set(path, (files.get(path) as string).replace('timeoutSeconds: 2', 'timeoutSeconds: 7'));
  const problems = verifyChart(files, presets, options);
  expect(problems).toContain('chart: helm template -f values-production.yaml: differs: Deployment/todo-backend spec.template.spec.containers[0].livenessProbe.timeoutSeconds (templates/deployment-backend.yaml)');
  expect(problems.filter((p) => p.includes('-f values-production.yaml'))).toHaveLength(1);
});

test('a chart Helm cannot render is refused with Helm\'s reason', () => {
  const files = chart();
  files.set('templates/cronjob-cleanup.yaml', '{{ include "todo-stack.version.cleanup" . }}\n');
  const problems = verifyChart(files, presets, options);
  expect(problems[0]).toMatch(/^chart: helm template -f values-local\.yaml: Helm cannot render the chart: .*no template "todo-stack\.version\.cleanup"/);
});

test('an object the chart does not render is named', () => {
  const files = chart();
  files.delete('templates/service-mcp.yaml');
  expect(verifyChart(files, presets, options)).toContain('chart: helm template with its values.yaml: dist/ has it, the chart does not render it: Service/todo-mcp');
});

test('a template that only the compiler\'s reference values exercise is rendered too, and refused when it differs', () => {
  const files = chart();
  const path = 'templates/ingress-frontend.yaml';
  files.set(path, (files.get(path) as string).replace('path: /', 'path: /web'));
  const problems = verifyChart(files, presets, options);
  // No preset turns the Ingress on; both references (local's and production's, every part on) do.
  expect(problems).toEqual([1, 2].map((i) => `chart: helm template -f <the compiler's reference values ${i}>: differs: Ingress/refrelease-frontend spec.rules[0].http.paths[0].path (templates/ingress-frontend.yaml)`));
});
