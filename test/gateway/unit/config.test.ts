import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  type GatewayConfigInput,
  loadConfigFile,
  parseConfig,
} from '../../../gateway/src/config';

const minimal: GatewayConfigInput = {
  providers: [{ name: 'aws', url: 'http://127.0.0.1:8501', costPer1kRequests: 0.4, models: ['iris'] }],
};

describe('gateway config', () => {
  it('fills in the documented defaults', () => {
    const config = parseConfig(minimal);
    expect(config.scoring.weights).toEqual({ latency: 0.4, cost: 0.3, reliability: 0.3 });
    expect(config.breaker).toMatchObject({
      consecutiveFailures: 5,
      baseEjectionMs: 30_000,
      maxEjectionMs: 300_000,
    });
    expect(config.healthCheck).toEqual({
      intervalMs: 5_000,
      timeoutMs: 2_000,
      unhealthyAfter: 3,
      healthyAfter: 2,
    });
    expect(config.failover.maxExtraAttempts).toBe(2);
    expect(config.providers[0].headers).toEqual({});
  });

  it('names every invalid field', () => {
    const bad = {
      providers: [
        { name: 'aws', url: 'ftp://x', costPer1kRequests: -1, models: [] },
        { name: 'aws', url: 'http://127.0.0.1:1', costPer1kRequests: 1, models: ['../x'] },
      ],
      scoring: { weights: { latency: 0.5, cost: 0.5, reliability: 0.5 } },
      unexpected: true,
    };
    let message = '';
    try {
      parseConfig(bad, 'test.json');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const path of [
      'providers.0.url',
      'providers.0.costPer1kRequests',
      'providers.0.models',
      'providers.1.models.0',
      'scoring.weights',
      '(root)',
    ]) {
      expect(message).toContain(path);
    }
  });

  it('reports duplicate provider names', () => {
    expect(() => parseConfig({ providers: [minimal.providers[0], minimal.providers[0]] })).toThrow(
      /duplicate provider name/,
    );
  });

  it('loads JSON and YAML files and lets REDIS_URL override the Redis address', () => {
    const directory = mkdtempSync(join(tmpdir(), 'gateway-config-'));
    const jsonPath = join(directory, 'gateway.json');
    writeFileSync(jsonPath, JSON.stringify(minimal));
    expect(loadConfigFile(jsonPath, {}).redisUrl).toBeUndefined();
    expect(loadConfigFile(jsonPath, { REDIS_URL: 'redis://127.0.0.1:6390' }).redisUrl).toBe(
      'redis://127.0.0.1:6390',
    );
    const yamlPath = join(directory, 'gateway.yaml');
    writeFileSync(
      yamlPath,
      'providers:\n  - name: gcp\n    url: http://127.0.0.1:8502\n    costPer1kRequests: 0.3\n    models: [iris]\n',
    );
    expect(loadConfigFile(yamlPath, {}).providers[0].name).toBe('gcp');
    expect(() => loadConfigFile(join(directory, 'missing.json'), {})).toThrow(ConfigError);
  });

  it('reports where a config file stops being valid JSON or YAML without quoting it (it may hold a password)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'gateway-config-'));
    const cases: Array<[string, string, RegExp]> = [
      [
        'broken.json',
        '{\n  "redisUrl": "redis://:hunter2-secret@redis:6379",,\n  "providers": []\n}',
        /line 2, column/,
      ],
      ['broken.yaml', 'redisUrl: "redis://:hunter2-secret@redis\nproviders: [\n', /line \d+, column \d+/],
      ['cut.json', '{"redisUrl": "redis://:hunter2-secret', /not valid JSON/],
    ];
    for (const [file, text, position] of cases) {
      writeFileSync(join(directory, file), text);
      let message = '';
      try {
        loadConfigFile(join(directory, file), {});
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(position);
      expect(message).not.toContain('hunter2');
    }
  });
});
