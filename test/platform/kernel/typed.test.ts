import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import fc from 'fast-check';
import { typedObject } from '../../../platform/kernel/typed';
import { jsonLikeObject } from '../../tools/synth/json-values';

/** What cdk8s itself renders for the object, or the error it throws. */
function cdk8sJson(object: ApiObject): unknown {
  return ApiObject.prototype.toJson.call(object);
}

const outcome = (render: () => unknown) => {
  try {
    return { json: render() };
  } catch (error) {
    return { error: String(error) };
  }
};

const sameJson = (a: unknown, b: unknown) => {
  expect(a).toStrictEqual(b);
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
};

describe('typedObject', () => {
  const chart = () => new Chart(new App(), 'test', { labels: { team: 'ml' } });

  it('renders the JSON cdk8s renders (or fails as it does), for any body, nulls and undefined fields included', () => {
    fc.assert(
      fc.property(
        jsonLikeObject({ withUndefined: true }),
        fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
        (body, labels) => {
          const object = typedObject(chart(), 'o', {
            apiVersion: 'example.com/v1',
            kind: 'Widget',
            metadata: { name: 'w', namespace: 'ns', labels },
            ...body,
          });
          sameJson(
            outcome(() => object.toJson()),
            outcome(() => cdk8sJson(object)),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('leaves objects with JSON patches or values cdk8s resolves to cdk8s', () => {
    const patched = typedObject(chart(), 'patched', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: '1' },
    });
    patched.addJsonPatch(JsonPatch.add('/data/b', '2'));
    expect(patched.toJson()).toMatchObject({ data: { a: '1', b: '2' } });

    const lazy = typedObject(chart(), 'lazy', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: Lazy.any({ produce: () => 'late' }) },
    } as { apiVersion: string; kind: string; metadata: object; data: object });
    expect(lazy.toJson()).toMatchObject({ data: { a: 'late' } });
    sameJson(lazy.toJson(), cdk8sJson(lazy));
  });
});
