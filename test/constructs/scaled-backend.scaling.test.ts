import { Testing } from 'cdk8s';
import { ScaledBackend, type ScaledBackendProps } from '../../constructs';
import { labelsFor, one, podSpec, synth, workloadProps } from '../support';

function backend(overrides: Partial<ScaledBackendProps> = {}, id = 'Api') {
  const chart = Testing.chart();
  new ScaledBackend(chart, id, { ...workloadProps('api'), ...overrides });
  return synth(chart);
}

describe('ScaledBackend scaling', () => {
  test('an autoscaled backend synthesizes Deployment, Service, HPA, PDB and NetworkPolicy (snapshot)', () => {
    const objects = backend({ replicas: 2, maxReplicas: 10, targetCpuUtilizationPercentage: 70 });
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    expect(objects).toMatchSnapshot();
  });

  test('a Deployment under an HPA has no replicas', () => {
    const objects = backend({ replicas: 2, maxReplicas: 10 });
    expect(one(objects, 'Deployment').spec).not.toHaveProperty('replicas');
    expect(one(objects, 'HorizontalPodAutoscaler').spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
  });

  test('without maxReplicas there is no HPA and replicas are fixed', () => {
    const objects = backend({ replicas: 2 });
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
    expect(one(objects, 'Deployment').spec.replicas).toBe(2);
  });

  test('a 1-replica workload gets no PDB', () => {
    expect(backend().some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  test('a PDB always allows one eviction and evicts unhealthy pods', () => {
    expect(one(backend({ replicas: 2 }), 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: labelsFor('api').selectorLabels },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('an HPA with minimum 1 and maximum 3 still gets a PDB, and rolls with maxUnavailable 0', () => {
    const objects = backend({ replicas: 1, maxReplicas: 3 });
    expect(one(objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    expect(one(objects, 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  test('2 or more replicas spread across nodes and zones; 1 replica does not', () => {
    expect(podSpec(one(backend({ replicas: 2 }), 'Deployment')).topologySpreadConstraints).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
      maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labelsFor('api').selectorLabels },
    })));
    expect(podSpec(one(backend(), 'Deployment')).topologySpreadConstraints).toBeUndefined();
  });

  test('the Service is ClusterIP, selects the pods and targets the named port', () => {
    expect(one(backend({ servicePort: 80 }), 'Service').spec).toEqual({
      type: 'ClusterIP',
      selector: labelsFor('api').selectorLabels,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  test('renaming the construct id changes no selector of any object', () => {
    const selectors = (objects: any[]) => JSON.stringify(objects.map((o) => [o.kind, o.spec?.selector, o.spec?.podSelector]));
    expect(selectors(backend({ replicas: 2, maxReplicas: 4 }, 'Renamed'))).toBe(selectors(backend({ replicas: 2, maxReplicas: 4 }, 'Api')));
  });

  test('throws if maxReplicas is below replicas', () => {
    expect(() => backend({ replicas: 3, maxReplicas: 2 })).toThrow('Api: maxReplicas must be at least replicas (3), the HPA minimum, got 2.');
  });

  test('throws if the CPU target is above 100 percent', () => {
    expect(() => backend({ maxReplicas: 3, targetCpuUtilizationPercentage: 150 })).toThrow('Api: targetCpuUtilizationPercentage must be an integer from 1 to 100, got 150.');
  });
});
