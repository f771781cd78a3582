import { mapTemplate } from '../../lib/helm/map-template';

const options = {
  name: 't.data',
  valuesTemplate: 't.values',
  fullnameTemplate: 't.fullname',
  reference: { level: 'info', extra: {}, api: { port: 8000 } },
  recordPaths: ['extra'],
};

describe('a map template traced from its TypeScript function', () => {
  test('a new entry in the function is in the template, with its value paths and the release prefix', () => {
    const tpl = mapTemplate({ ...options, produce: (v, instance) => ({ app: { LEVEL: v.level, WORKER_URL: `http://${instance}-worker:${v.api.port}/x%y` } }) });
    expect(tpl).toContain('{{- $_ := set $data "LEVEL" $v.level -}}');
    expect(tpl).toContain('{{- $_ := set $data "WORKER_URL" (printf "http://%s-worker:%v/x%%y" $fullname $v.api.port) -}}');
  });

  test('a record spreads in its place, so later keys override it as in JavaScript', () => {
    const tpl = mapTemplate({ ...options, produce: (v) => ({ app: { LEVEL: v.level, ...v.extra, FIXED: 'yes' } }) });
    const lines = tpl.split('\n');
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(at('range $key, $value := $v.extra')).toBeGreaterThan(at('"LEVEL"'));
    expect(at('"FIXED" "yes"')).toBeGreaterThan(at('range $key, $value := $v.extra'));
  });

  test('a value under a key that is no Go identifier is read with get, as the rule expressions read it', () => {
    const tpl = mapTemplate({ ...options, reference: { 'log-level': 'info' }, recordPaths: [], produce: (v) => ({ app: { LEVEL: v['log-level'] } }) });
    expect(tpl).toContain('{{- $_ := set $data "LEVEL" (get (default dict $v) "log-level") -}}');
  });

  test('throws if a key comes from a value that is not a record', () => {
    expect(() => mapTemplate({ ...options, produce: (v) => ({ app: { [v.level]: 'x' } }) })).toThrow('map template t.data: key zq0qz comes from values but is not a record');
  });
});
