import { ApiKeyStore, presentedKey } from '../../../gateway/src/auth/keys';
import {
  JsonShapeError,
  MAX_JSON_DEPTH,
  parseTfServingJson,
  replaceNonFiniteLiterals,
} from '../../../gateway/src/json';
import { requestIdFrom } from '../../../gateway/src/plugins/request-context';
import { splitVerb, upstreamPath, validateTarget } from '../../../gateway/src/routes/target';

describe('TF Serving JSON', () => {
  it('accepts NaN, Infinity and -Infinity outside strings', () => {
    expect(parseTfServingJson('{"instances": [[NaN, Infinity, -Infinity, 1.5]]}')).toEqual({
      instances: [[null, null, null, 1.5]],
    });
  });

  it('leaves the literals alone inside strings, including after escaped quotes', () => {
    expect(replaceNonFiniteLiterals('{"a": "NaN \\" Infinity", "b": NaN}')).toBe(
      '{"a": "NaN \\" Infinity", "b": null}',
    );
  });

  it('refuses duplicate keys (however they are escaped) and nesting deeper than the limit', () => {
    expect(() => parseTfServingJson('{"instances": [[1]], "instances": [[2]]}')).toThrow(JsonShapeError);
    expect(() => parseTfServingJson('{"a": 1, "\\u0061": 2}')).toThrow(/key "a" twice/);
    expect(() =>
      parseTfServingJson(`{"instances": ${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`),
    ).toThrow(/nested deeper than 32 levels/);
    // The same key in different objects, and key-like text inside strings, are fine.
    expect(
      parseTfServingJson('{"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}], "c": "\\"a\\": 1, \\"a\\""}'),
    ).toBeTruthy();
  });

  it('rejects prototype poisoning and malformed JSON', () => {
    expect(() => parseTfServingJson('{"__proto__": {"polluted": true}}')).toThrow();
    expect(() => parseTfServingJson('{"constructor": {"prototype": {"x": 1}}}')).toThrow();
    expect(() => parseTfServingJson('{"instances": [1,]}')).toThrow();
    expect(() => parseTfServingJson('{"instances": Nope}')).toThrow();
  });
});

describe('API keys', () => {
  const longKey = 'k'.repeat(24);

  it('accepts valid keys, refuses unknown ones and reports disabled ones', () => {
    const store = ApiKeyStore.fromEnvironment(`team-a:${longKey},team-b:${'x'.repeat(20)}:disabled`);
    expect(store.check(longKey)).toEqual({ result: 'valid', id: 'team-a' });
    expect(store.check('x'.repeat(20))).toEqual({ result: 'disabled', id: 'team-b' });
    expect(store.check('nope')).toEqual({ result: 'unknown' });
  });

  it('accepts pre-hashed keys in the JSON format', () => {
    const sha256 = require('node:crypto').createHash('sha256').update(longKey).digest('hex');
    const store = ApiKeyStore.fromEnvironment(JSON.stringify([{ id: 'ops', sha256 }]));
    expect(store.check(longKey)).toEqual({ result: 'valid', id: 'ops' });
  });

  it('refuses short keys and duplicate ids without echoing the keys', () => {
    expect(() => ApiKeyStore.fromEnvironment('a:short')).toThrow(
      /entry #1: "key" must be a string of at least 16 characters\. Each entry is/,
    );
    try {
      ApiKeyStore.fromEnvironment('a:short-secret-value');
    } catch (error) {
      expect((error as Error).message).not.toContain('short-secret-value');
    }
    expect(() => ApiKeyStore.fromEnvironment(`a:${longKey},a:${longKey}x`)).toThrow(/duplicate id/);
  });

  it('says what the format is when an entry has no id, and reads the environment format strictly', () => {
    expect(() => ApiKeyStore.fromEntries([{ key: longKey }], 'keys.json')).toThrow(
      /keys\.json are invalid: entry #1: "id" must be a string of 1 to 64 characters\. Each entry is \{"id"/,
    );
    // A misspelt flag and a key containing ":" are refused, never read as another key.
    for (const value of [`a:${longKey}:disable`, `a:${longKey.slice(0, 8)}:${longKey.slice(8)}`]) {
      let message = '';
      try {
        ApiKeyStore.fromEnvironment(value);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/entry #1 \(id "a"\) has something other than ":disabled" after its key/);
      expect(message).toMatch(/must use the JSON format/);
      expect(message).not.toContain(longKey.slice(8));
    }
    expect(ApiKeyStore.fromEnvironment(`a:${longKey}:disabled`).check(longKey)).toEqual({
      result: 'disabled',
      id: 'a',
    });
  });

  it('reads the key from x-api-key or a Bearer authorization header', () => {
    expect(presentedKey({ 'x-api-key': 'abc' })).toBe('abc');
    expect(presentedKey({ authorization: 'Bearer abc' })).toBe('abc');
    expect(presentedKey({ authorization: 'Basic abc' })).toBeUndefined();
    expect(presentedKey({})).toBeUndefined();
  });
});

describe('model targets', () => {
  const known = new Set(['iris']);

  it('builds upstream paths only from validated parts', () => {
    expect(upstreamPath(validateTarget({ model: 'iris' }, known), ':predict')).toBe(
      '/v1/models/iris:predict',
    );
    expect(upstreamPath(validateTarget({ model: 'iris', version: '3' }, known), '/metadata')).toBe(
      '/v1/models/iris/versions/3/metadata',
    );
    expect(upstreamPath(validateTarget({ model: 'iris', label: 'stable' }, known), ':predict')).toBe(
      '/v1/models/iris/labels/stable:predict',
    );
  });

  it.each(['../admin', 'a/b', 'iris%2F', 'x..y', '', '-iris', 'iris\n'])(
    'rejects the malformed name %j with 400',
    (model) => {
      expect(() => validateTarget({ model }, known)).toThrow(expect.objectContaining({ statusCode: 400 }));
    },
  );

  it('rejects malformed versions and labels with 400 and unknown models with 404', () => {
    expect(() => validateTarget({ model: 'iris', version: 'latest' }, known)).toThrow(
      expect.objectContaining({ statusCode: 400 }),
    );
    expect(() => validateTarget({ model: 'iris', label: 'a/b' }, known)).toThrow(
      expect.objectContaining({ statusCode: 400 }),
    );
    expect(() => validateTarget({ model: 'mnist' }, known)).toThrow(
      expect.objectContaining({ statusCode: 404 }),
    );
  });

  it('requires the :predict verb', () => {
    expect(splitVerb('iris:predict', 'predict')).toBe('iris');
    expect(() => splitVerb('iris:classify', 'predict')).toThrow(expect.objectContaining({ statusCode: 400 }));
  });
});

describe('request ids', () => {
  it('keeps a safe client request id and replaces anything else', () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    expect(requestIdFrom('bad id with spaces')).not.toBe('bad id with spaces');
    expect(requestIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
