/** @module server/config.test: option > MQS_* variable > defaults, and readable errors that name the source. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, isLoopbackHost, resolveServerConfig, SERVER_DEFAULTS } from './config.ts';

function assertConfigError(fn: () => unknown, source: string, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.source, source);
    assert.match(error.message, message);
    return true;
  });
}

describe('resolveServerConfig', () => {
  it('uses the defaults with no options and no variables', () => {
    assert.deepEqual(resolveServerConfig({}, {}), {
      host: SERVER_DEFAULTS.host,
      port: 9324,
      dataDir: './.mqs',
      isInMemory: false,
      region: 'us-east-1',
      accountId: '000000000000',
      sync: 'normal',
      publicBaseUrl: undefined,
      authFile: undefined,
      isQueueDeletedRecentlyEnforced: false,
    });
  });

  it('reads every MQS_* variable', () => {
    const config = resolveServerConfig(
      {},
      {
        MQS_HOST: '0.0.0.0',
        MQS_PORT: '0',
        MQS_DATA_DIR: '/var/mqs',
        MQS_IN_MEMORY: 'TRUE',
        MQS_REGION: 'eu-west-1',
        MQS_ACCOUNT_ID: '123456789012',
        MQS_SYNC: 'full',
        MQS_PUBLIC_URL: 'http://sqs.local:9324/',
        MQS_AUTH_FILE: '/etc/mqs/keys',
        MQS_QUEUE_DELETED_RECENTLY: 'yes',
      },
    );
    assert.deepEqual(config, {
      host: '0.0.0.0',
      port: 0,
      dataDir: '/var/mqs',
      isInMemory: true,
      region: 'eu-west-1',
      accountId: '123456789012',
      sync: 'full',
      publicBaseUrl: 'http://sqs.local:9324',
      authFile: '/etc/mqs/keys',
      isQueueDeletedRecentlyEnforced: true,
    });
  });

  it('lets an explicit option win over its variable', () => {
    const config = resolveServerConfig(
      { port: 1234, inMemory: false, region: 'us-west-2', publicBaseUrl: 'https://a.example' },
      { MQS_PORT: '9', MQS_IN_MEMORY: 'true', MQS_REGION: 'eu-west-1', MQS_PUBLIC_URL: 'http://b.example' },
    );
    assert.equal(config.port, 1234);
    assert.equal(config.isInMemory, false);
    assert.equal(config.region, 'us-west-2');
    assert.equal(config.publicBaseUrl, 'https://a.example');
  });

  it('treats an empty variable as unset', () => {
    assert.equal(resolveServerConfig({}, { MQS_PORT: '' }).port, 9324);
  });

  it('names the variable whose value is bad', () => {
    assertConfigError(() => resolveServerConfig({}, { MQS_PORT: 'abc' }), 'MQS_PORT', /MQS_PORT must be an integer from 0 to 65535 \(got "abc"\)/);
    assertConfigError(() => resolveServerConfig({}, { MQS_PORT: '65536' }), 'MQS_PORT', /0 to 65535/);
    assertConfigError(() => resolveServerConfig({}, { MQS_IN_MEMORY: 'maybe' }), 'MQS_IN_MEMORY', /true or false/);
    assertConfigError(() => resolveServerConfig({}, { MQS_SYNC: 'off' }), 'MQS_SYNC', /normal, full/);
    assertConfigError(() => resolveServerConfig({}, { MQS_ACCOUNT_ID: '123' }), 'MQS_ACCOUNT_ID', /12 digits/);
    assertConfigError(() => resolveServerConfig({}, { MQS_REGION: 'Mars' }), 'MQS_REGION', /region name/);
    assertConfigError(() => resolveServerConfig({}, { MQS_PUBLIC_URL: 'ftp://x' }), 'MQS_PUBLIC_URL', /http/);
    assertConfigError(() => resolveServerConfig({}, { MQS_HOST: '  ' }), 'MQS_HOST', /must not be empty/);
  });

  it('validates explicit options too, naming the option', () => {
    assertConfigError(() => resolveServerConfig({ port: 1.5 }, {}), 'option port', /option port must be an integer/);
    assertConfigError(() => resolveServerConfig({ port: -1 }, {}), 'option port', /0 to 65535/);
    assertConfigError(() => resolveServerConfig({ publicBaseUrl: 'not a url' }, {}), 'option publicBaseUrl', /URL/);
  });

  it('takes the auth file from the option before MQS_AUTH_FILE', () => {
    assert.equal(resolveServerConfig({ authFile: './keys' }, { MQS_AUTH_FILE: '/etc/keys' }).authFile, './keys');
    assert.equal(resolveServerConfig({}, { MQS_AUTH_FILE: '/etc/keys' }).authFile, '/etc/keys');
    assertConfigError(() => resolveServerConfig({}, { MQS_AUTH_FILE: ' ' }), 'MQS_AUTH_FILE', /must not be empty/);
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback addresses from ones other machines may reach', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'sqs.local', '10.0.0.1', '128.0.0.1']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });
});
