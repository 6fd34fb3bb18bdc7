import { coalesceHelmValues } from '../../../platform/kernel/helm-values';

describe("coalesceHelmValues, as Helm merges values over a chart's defaults", () => {
  const defaults = {
    receivers: { jaeger: { grpc: {} }, otlp: { grpc: { endpoint: 'a' }, http: { endpoint: 'b' } } },
    service: { extensions: ['health_check'], pipelines: { traces: { exporters: ['debug'] } } },
    replicas: 1,
  };

  it('merges maps key by key and keeps the defaults that are not overridden', () => {
    const merged = coalesceHelmValues(defaults, { receivers: { otlp: { grpc: { endpoint: 'c' } } } });
    expect(merged.receivers).toEqual({
      jaeger: { grpc: {} },
      otlp: { grpc: { endpoint: 'c' }, http: { endpoint: 'b' } },
    });
    expect(merged.replicas).toBe(1);
  });

  it('deletes a default set to null, and drops nulls that delete nothing', () => {
    const merged = coalesceHelmValues(defaults, { receivers: { jaeger: null }, extra: { a: null, b: 1 } });
    expect(Object.keys(merged.receivers as object)).toEqual(['otlp']);
    expect(merged.extra).toEqual({ b: 1 });
  });

  it('replaces lists and scalars whole', () => {
    const merged = coalesceHelmValues(defaults, {
      service: { pipelines: { traces: { exporters: ['otlp/jaeger'] } } },
      replicas: 2,
    }) as {
      service: { extensions: string[]; pipelines: { traces: { exporters: string[] } } };
      replicas: number;
    };
    expect(merged.service.pipelines.traces.exporters).toEqual(['otlp/jaeger']);
    expect(merged.service.extensions).toEqual(['health_check']);
    expect(merged.replicas).toBe(2);
  });

  it('leaves the defaults untouched', () => {
    coalesceHelmValues(defaults, { receivers: { jaeger: null } });
    expect(defaults.receivers.jaeger).toEqual({ grpc: {} });
  });
});
