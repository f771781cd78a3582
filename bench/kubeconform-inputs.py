"""
Inputs for the side-by-side run of `npm run validate` and kubeconform v0.8.0 (BENCHMARKS.md):
standalone strict JSON schemas for kubeconform, generated from the OpenAPI document of the
k8s.io/kubernetes module (as openapi2jsonschema --strict --stand-alone does), and a corpus of
other people's YAML: every object of the module's own test data, in 24 files.

    python3 bench/kubeconform-inputs.py ~/go/pkg/mod/k8s.io/kubernetes@v1.36.3 /tmp/kc
"""
import json, os, sys
import yaml

module, out = sys.argv[1], sys.argv[2]
doc = json.load(open(os.path.join(module, 'api/openapi-spec/swagger.json')))
defs = doc['definitions']


def expand(node, stack):
    if isinstance(node, list):
        return [expand(x, stack) for x in node]
    if not isinstance(node, dict):
        return node
    if '$ref' in node:
        name = node['$ref'].split('/')[-1]
        if name in stack:  # recursive (JSONSchemaProps): left open
            return {}
        return expand(defs[name], stack | {name})
    n = {}
    for k, v in node.items():
        if k == 'description':
            continue
        n[k] = {pk: expand(pv, stack) for pk, pv in v.items()} if k == 'properties' else expand(v, stack)
    if n.get('format') == 'int-or-string':
        n.pop('type', None)
        n.pop('format', None)
        n['oneOf'] = [{'type': 'string'}, {'type': 'integer'}]
    if n.get('type') == 'object' and 'properties' in n and 'additionalProperties' not in n:
        n['additionalProperties'] = False  # strict
    if isinstance(n.get('type'), str):
        n['type'] = [n['type'], 'null']  # an optional field may be null
    return n


schemas = os.path.join(out, 'schemas')
os.makedirs(schemas, exist_ok=True)
for name, d in defs.items():
    for gvk in d.get('x-kubernetes-group-version-kind', []):
        group, version = gvk['group'], gvk['version']
        suffix = f"-{group.split('.')[0]}-{version}" if group else f"-{version}"
        schema = expand(d, {name})
        schema['$schema'] = 'http://json-schema.org/schema#'
        json.dump(schema, open(os.path.join(schemas, f"{gvk['kind'].lower()}{suffix}.json"), 'w'))

docs = []
for base in ['test', 'hack', 'cluster']:
    for dirpath, _, files in os.walk(os.path.join(module, base)):
        for f in files:
            if not f.endswith('.yaml'):
                continue
            text = open(os.path.join(dirpath, f)).read()
            if '{{' in text:  # templates, not YAML yet
                continue
            try:
                for d in yaml.safe_load_all(text):
                    if isinstance(d, dict) and isinstance(d.get('kind'), str) and d['kind'] != 'List' and isinstance(d.get('apiVersion'), str) and isinstance(d.get('metadata'), dict) and d['metadata'].get('name'):
                        docs.append(d)
            except yaml.YAMLError:
                pass
corpus = os.path.join(out, 'corpus')
os.makedirs(corpus, exist_ok=True)
text = ''.join('---\n' + yaml.safe_dump(d, sort_keys=False) for d in docs)
for i in range(1, 25):
    open(os.path.join(corpus, f'part-{i}.yaml'), 'w').write(text)
print(f'{len(docs)} objects, 24 files, {len(os.listdir(schemas))} schemas')
